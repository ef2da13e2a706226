"""Training smoke test: a few CG iterations on a few small images make a
table that loads, runs through the reference, and is byte-identical when the
same command runs again (fixed seeds, deterministic fit)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import numpy as np
from PIL import Image

import _common
from eclut.lutfile import load
from eclut.reference import upscale

SAMPLE = os.path.join(_common.SRC_ROOT, "samples", "chelsea-320x240.png")


class TrainSmoke(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="eclut-train-")
        data = os.path.join(self.tmp, "data")
        os.makedirs(data)
        im = Image.open(SAMPLE).convert("RGB")
        for i, (x, y) in enumerate([(0, 0), (120, 40), (200, 100), (60, 120)]):
            im.crop((x, y, x + 120, y + 120)).save(os.path.join(data, "crop%d.png" % i))
        self.data = data

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def train(self, out, work, extra=()):
        cmd = [sys.executable, "-m", "eclut.train", "--scale", "2", "--expand-step", "both",
               "--data", self.data, "--out", out, "--work", work, "--val-frac", "0.25",
               "--grid-iters", "2", "--iters", "3", "--ft-iters", "1", "--shifts", "2,3",
               "--threads", "1"] + list(extra)
        p = subprocess.run(cmd, cwd=os.path.join(_common.SRC_ROOT, "training"),
                           capture_output=True, text=True, timeout=300)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        with open(out, "rb") as f:
            return f.read()

    def test_train_twice(self):
        a = self.train(os.path.join(self.tmp, "a.lut"), os.path.join(self.tmp, "wa"))
        b = self.train(os.path.join(self.tmp, "b.lut"), os.path.join(self.tmp, "wb"))
        self.assertEqual(a, b, "same command, same data: the table must be identical")
        lut = load(os.path.join(self.tmp, "a.lut"))
        self.assertEqual(lut.scale, 2)
        self.assertTrue(os.path.exists(os.path.join(self.tmp, "a.json")))
        lr = np.array(Image.open(SAMPLE).convert("L"))[:40, :50]
        out = upscale(lut, lr)
        self.assertEqual(out.shape, (80, 100))
        # a fitted table reproduces a flat grey area closely
        flat = upscale(lut, np.full((8, 8), 120, np.uint8))
        self.assertLess(abs(int(flat[4:12, 4:12].mean()) - 120), 8)

    def reweighted_fit(self, loss):
        """Two reweighting rounds of --loss @loss after the MSE fit: checks
        that they ran and wrote a table, returns the step's info."""
        out = os.path.join(self.tmp, loss + ".lut")
        self.train(out, os.path.join(self.tmp, "w" + loss),
                   ["--expand-step", "r", "--loss", loss, "--irls-rounds", "2", "--irls-iters", "10"])
        with open(os.path.join(self.tmp, loss + ".json")) as f:
            meta = json.load(f)
        self.assertEqual(meta["hyper_parameters"]["loss"], loss)
        info = meta["per_expand_step"]["2"]
        self.assertEqual([r["round"] for r in info["irls_rounds"]], [1, 2])
        self.assertEqual(load(out).scale, 2)
        return info

    def test_l1(self):
        """--loss l1: the reweighting rounds run and lower the training
        mean absolute error below the MSE fit's."""
        info = self.reweighted_fit("l1")
        self.assertLess(info["train_mae_l1_fit"], info["train_mae_mse_fit"])

    def test_mean_psnr_loss(self):
        """--loss psnr: the reweighting rounds run and raise the training
        images' mean PSNR above the MSE fit's; each pixel weighs 1 / SSE of
        its own image."""
        from eclut.fitcore import ImageSet
        from eclut.weights import image_weights
        S = ImageSet([np.zeros((2, 3), np.uint8), np.zeros((1, 2), np.uint8)], None, 2)
        res = np.concatenate([np.full(24, 2.0), np.full(8, 0.5)]).astype(np.float32)
        w = image_weights(S, res)
        np.testing.assert_allclose(w[:24], 1.0 / (24 * 4.0))
        np.testing.assert_allclose(w[24:], 1.0 / (8 * 0.25))

        info = self.reweighted_fit("psnr")
        self.assertGreater(info["train_mean_psnr_psnr_fit"], info["train_mean_psnr_mse_fit"])

    def test_shave(self):
        """--shave N: the outer N HR pixels of every training image are left
        out of the fit (the mask), and the run records it."""
        from eclut.fitcore import ImageSet
        from eclut.weights import border_mask
        S = ImageSet([np.zeros((3, 4), np.uint8), np.zeros((2, 2), np.uint8)], None, 2)
        self.assertIsNone(border_mask(S, 0))
        a, b = S.planes(border_mask(S, 1))
        self.assertEqual(a.shape, (6, 8))
        self.assertEqual(a.sum(), 4 * 6)
        self.assertTrue((a[1:5, 1:7] == 1).all())
        self.assertEqual(b.sum(), 4)
        self.assertTrue((b[1:3, 1:3] == 1).all())

        out = os.path.join(self.tmp, "s.lut")
        full = self.train(os.path.join(self.tmp, "f.lut"), os.path.join(self.tmp, "wf"), ["--expand-step", "r"])
        shaved = self.train(out, os.path.join(self.tmp, "ws"), ["--expand-step", "r", "--shave", "2"])
        with open(os.path.join(self.tmp, "s.json")) as f:
            meta = json.load(f)
        self.assertEqual(meta["hyper_parameters"]["shave"], 2)
        self.assertNotEqual(full, shaved, "leaving the borders out must change the fit")

    def test_mirror_and_shrunk_copies(self):
        """--mirror fits a left-right symmetric table (exactly, entry for
        entry); --shrunk-copies adds the shrunk training photos (and only
        those: the held-out photos stay as they are)."""
        from eclut.operators import mirror_permutation
        out = os.path.join(self.tmp, "m.lut")
        self.train(out, os.path.join(self.tmp, "wm"),
                   ["--expand-step", "r", "--mirror", "--shrunk-copies", "2", "--ft-iters", "0"])
        t = load(out).table
        perm = mirror_permutation(2)
        np.testing.assert_array_equal(t, t[:, :, perm])
        self.assertGreater(int(np.abs(t.astype(np.int32)).max()), 0)
        with open(os.path.join(self.tmp, "m.json")) as f:
            meta = json.load(f)
        self.assertTrue(meta["hyper_parameters"]["mirror"])
        self.assertEqual(meta["hyper_parameters"]["shrunk_copies"], [2])
        # 3 training crops of 120x120, and the same 3 shrunk to 60x60
        self.assertEqual(meta["data"]["train_hr_pixels"], 3 * 120 * 120 + 3 * 60 * 60)
        self.assertEqual(meta["data"]["validation_images"], 1)
        # without --mirror the fit is not symmetric (the test above can fail)
        plain = self.train(os.path.join(self.tmp, "p.lut"), os.path.join(self.tmp, "wp"),
                           ["--expand-step", "r", "--ft-iters", "0"])
        tp = load(os.path.join(self.tmp, "p.lut")).table
        self.assertFalse(np.array_equal(tp, tp[:, :, perm]))
        self.assertTrue(plain)

    def test_image_weight_power(self):
        """--image-weight-power p weighs each training image by its pixel
        count to the power -p, normalised to mean 1 per pixel (so the
        regularisation keeps its weight), times the --shave border mask."""
        from eclut.fitcore import ImageSet
        from eclut.weights import pixel_weights
        S = ImageSet([np.zeros((2, 3), np.uint8), np.zeros((1, 2), np.uint8)], None, 2)
        self.assertIsNone(pixel_weights(S, 0, 0.0))
        w = pixel_weights(S, 0, 1.0)          # 24 and 8 HR pixels: each image weighs 16 in all
        np.testing.assert_allclose(w[:24], 2.0 / 3.0, rtol=1e-6)
        np.testing.assert_allclose(w[24:], 2.0, rtol=1e-6)
        self.assertAlmostEqual(float(w.mean()), 1.0, places=6)
        a, b = S.planes(pixel_weights(S, 1, 1.0))
        self.assertEqual(float(b.sum()), 0.0)  # the 2x4 image has no inside pixel at shave 1
        self.assertEqual(a.shape, (4, 6))
        self.assertTrue((a[1:3, 1:5] > 0).all())
        self.assertEqual(float(a.sum()), float((a > 0).sum()) * float(a[1, 1]))  # only the inside, all alike
        self.assertEqual(int((a > 0).sum()), 8)

        plain = self.train(os.path.join(self.tmp, "p.lut"), os.path.join(self.tmp, "wp"),
                           ["--expand-step", "r", "--shrunk-copies", "2", "--ft-iters", "0"])
        weighted = self.train(os.path.join(self.tmp, "w.lut"), os.path.join(self.tmp, "ww"),
                              ["--expand-step", "r", "--shrunk-copies", "2", "--ft-iters", "0",
                               "--image-weight-power", "1"])
        with open(os.path.join(self.tmp, "w.json")) as f:
            self.assertEqual(json.load(f)["hyper_parameters"]["image_weight_power"], 1.0)
        self.assertNotEqual(plain, weighted, "weighing the shrunk copies up must change the fit")

    def test_lam_diag(self):
        """--lam-diag adds lam_d ||D X||^2 with D the first differences along
        (a, b) -> (a+1, b+1): lap_diag is D^T D (symmetric, and its quadratic
        form is the sum of the squared differences)."""
        from eclut.operators import lap_diag
        rng = np.random.default_rng(1)
        X, Y = rng.standard_normal((2, 5, 6, 3))
        d = X[1:, 1:] - X[:-1, :-1]
        self.assertAlmostEqual(float(np.sum(X * lap_diag(X))), float(np.sum(d * d)), places=9)
        self.assertAlmostEqual(float(np.sum(Y * lap_diag(X))), float(np.sum(X * lap_diag(Y))), places=9)
        np.testing.assert_allclose(lap_diag(X + 2.5), lap_diag(X))  # constants cost nothing
        # one regulariser serves every normal equation (MSE fit and reweighted rounds)
        from types import SimpleNamespace
        from eclut.operators import lap, make_regulariser
        reg = make_regulariser(SimpleNamespace(lam_ridge=2.0, lam_smooth=3.0, lam_diag=5.0))
        np.testing.assert_allclose(reg(X), 2.0 * X + 3.0 * lap(X) + 5.0 * lap_diag(X))
        self.assertEqual(reg.diag, 2.0 + 4 * 3.0 + 2 * 5.0)

        plain = self.train(os.path.join(self.tmp, "p.lut"), os.path.join(self.tmp, "wp"),
                           ["--expand-step", "r", "--ft-iters", "0"])
        diag = self.train(os.path.join(self.tmp, "d.lut"), os.path.join(self.tmp, "wd"),
                          ["--expand-step", "r", "--ft-iters", "0", "--lam-diag", "50"])
        self.assertNotEqual(plain, diag)

    def test_shrunk_only(self):
        """--shrunk-only PATTERN: the matching training photos are fitted
        through their shrunk copies only; the held-out photo is untouched."""
        out = os.path.join(self.tmp, "o.lut")
        self.train(out, os.path.join(self.tmp, "wo"),
                   ["--expand-step", "r", "--shrunk-copies", "2", "--ft-iters", "0", "--shrunk-only", "crop[0-2]*"])
        with open(os.path.join(self.tmp, "o.json")) as f:
            meta = json.load(f)
        self.assertEqual(meta["hyper_parameters"]["shrunk_only"], "crop[0-2]*")
        # the 3 training crops (120x120) all shrunk to 60x60; at full size only
        # crop3, which the pattern leaves out, unless it is the held-out one
        full = 0 if "crop3.png" in meta["data"]["validation"] else 1
        self.assertEqual(meta["data"]["train_hr_pixels"], full * 120 * 120 + 3 * 60 * 60)
        self.assertEqual(meta["data"]["validation_images"], 1)

    def test_heldout(self):
        """eclut.heldout scores the photos eclut.train held out: as they are
        it reproduces the run's own validation PSNR exactly; shrunk, they are
        other (sharper) images, so the score differs."""
        from eclut import data as D
        from eclut.heldout import heldout_psnr, main as heldout_main
        out = os.path.join(self.tmp, "h.lut")
        self.train(out, os.path.join(self.tmp, "wh"), ["--expand-step", "r", "--ft-iters", "0"])
        with open(os.path.join(self.tmp, "h.json")) as f:
            meta = json.load(f)
        _, vaf = D.split(D.list_images(self.data), 0.25, 0)
        self.assertEqual([os.path.relpath(v, self.data) for v in vaf], meta["data"]["validation"])
        rows = heldout_psnr(vaf, 2, [load(out)], [1, 2], None, 1)
        self.assertAlmostEqual(rows[1][0], meta["per_expand_step"]["2"]["val_psnr_quantised"], places=9)
        self.assertGreater(abs(rows[2][0] - rows[1][0]), 1e-3)
        with self.assertRaises(SystemExit):  # a table of another scale is refused
            heldout_main(["--scale", "3", "--data", self.data, "--lut", out])

    def test_heldout_reads_the_json(self):
        """eclut.heldout scores the photos listed in the table's .json, not a
        recomputed split; tables that held out different photos are refused."""
        import contextlib
        import io
        from eclut.heldout import main as heldout_main, validation_files
        out = os.path.join(self.tmp, "j.lut")
        self.train(out, os.path.join(self.tmp, "wj"), ["--expand-step", "r", "--ft-iters", "0"])
        with open(os.path.join(self.tmp, "j.json")) as f:
            meta = json.load(f)
        listed = meta["data"]["validation"]
        other = [n for n in sorted(os.listdir(self.data)) if n not in listed][:2]
        meta["data"]["validation"] = other
        alt = os.path.join(self.tmp, "k.lut")
        shutil.copy(out, alt)
        with open(os.path.join(self.tmp, "k.json"), "w") as f:
            json.dump(meta, f)
        self.assertEqual(validation_files([out], self.data), [os.path.join(self.data, n) for n in listed])
        self.assertEqual(validation_files([alt], self.data), [os.path.join(self.data, n) for n in other])
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            heldout_main(["--scale", "2", "--data", self.data, "--lut", alt, "--shrink", "1"])
        self.assertIn("held-out photos (2)", buf.getvalue())
        with self.assertRaises(SystemExit):
            validation_files([out, alt], self.data)

    def test_refine_stages(self):
        """--refine-stages writes a v2 table whose refine stages, run by the
        numpy reference, score on the held-out photo exactly what training
        reported for them (the fit's residual scoring is the spec's cascade),
        the first with a table per position (--refine-phases 2), the second
        with one table."""
        from eclut import data as D
        out = os.path.join(self.tmp, "r.lut")
        self.train(out, os.path.join(self.tmp, "wr"),
                   ["--expand-step", "r", "--ft-iters", "0", "--refine-stages", "2", "--refine-iters", "4",
                    "--refine-lam-ridge", "1", "--refine-lam-smooth", "4", "--refine-ft-iters", "1",
                    "--refine-phases", "2,1"])
        lut = load(out)
        self.assertEqual(len(lut.refine), 2)
        self.assertEqual([st.phases for st in lut.refine], [2, 1])
        with open(os.path.join(self.tmp, "r.json")) as f:
            meta = json.load(f)
        self.assertEqual([st["phases"] for st in meta["refine_stages"]], [2, 1])
        infos = meta["per_expand_step"]["2"]["refine"]
        vaf = [os.path.join(self.data, v) for v in meta["data"]["validation"]]
        pairs = D.load_pairs(vaf, 2, None, progress=False)

        def psnr(stages):
            ps = []
            for lr, hr in pairs:
                d = (upscale(lut, lr, stages).astype(np.float64) - hr)[2:-2, 2:-2]
                ps.append(10 * np.log10(255.0 ** 2 / max(np.mean(d * d), 1e-10)))
            return float(np.mean(ps))

        self.assertAlmostEqual(psnr(0), meta["per_expand_step"]["2"]["val_psnr_finetuned"], places=6)
        self.assertAlmostEqual(psnr(0), infos[0]["val_psnr_before"], places=6)
        self.assertAlmostEqual(psnr(1), infos[0]["val_psnr_finetuned"], places=6)
        self.assertAlmostEqual(psnr(2), infos[1]["val_psnr_finetuned"], places=6)

    def test_extra_data(self):
        """--extra-data: its images are all fitted and none is held out, so
        the validation photos stay those of --data."""
        extra = os.path.join(self.tmp, "extra")
        os.makedirs(extra)
        im = Image.open(SAMPLE).convert("RGB")
        for i in range(2):
            im.crop((10 * i, 0, 10 * i + 60, 60)).save(os.path.join(extra, "e%d.png" % i))
        plain, more = os.path.join(self.tmp, "p.lut"), os.path.join(self.tmp, "m.lut")
        self.train(plain, os.path.join(self.tmp, "wp"), ["--expand-step", "r", "--ft-iters", "0"])
        self.train(more, os.path.join(self.tmp, "wm"), ["--expand-step", "r", "--ft-iters", "0",
                                                         "--extra-data", extra])
        with open(os.path.join(self.tmp, "p.json")) as f, open(os.path.join(self.tmp, "m.json")) as g:
            a, b = json.load(f)["data"], json.load(g)["data"]
        self.assertEqual(a["validation"], b["validation"])
        self.assertEqual(b["train_hr_pixels"], a["train_hr_pixels"] + 2 * 60 * 60)
        self.assertEqual(b["extra_folders"], [extra])

    def test_extra_data_hold_out(self):
        """--extra-hold-out-every K leaves out exactly the photos that
        eclut.unseen --every K scores; --extra-shrunk-copies sets the extra
        photos' copies apart from those of --data."""
        from eclut.data import every_kth, list_images
        extra = os.path.join(self.tmp, "extra")
        os.makedirs(extra)
        im = Image.open(SAMPLE).convert("RGB")
        for i, n in enumerate((60, 40, 80, 100, 20)):  # sizes tell which photos were fitted
            im.crop((0, 0, n, n)).save(os.path.join(extra, "e%d.png" % i))
        out = os.path.join(self.tmp, "h.lut")
        plain = os.path.join(self.tmp, "p.lut")
        common = ["--expand-step", "r", "--ft-iters", "0", "--iters", "1", "--grid-iters", "1"]
        self.train(plain, os.path.join(self.tmp, "wp"), common)
        self.train(out, os.path.join(self.tmp, "wh"), common + [
            "--extra-data", extra, "--extra-hold-out-every", "2", "--extra-shrunk-copies", "2"])
        with open(os.path.join(self.tmp, "p.json")) as f, open(os.path.join(self.tmp, "h.json")) as g:
            a, b = json.load(f)["data"], json.load(g)["data"]
        held = [os.path.basename(f) for f in every_kth(list_images(extra), 2)]
        self.assertEqual(held, ["e0.png", "e2.png", "e4.png"])
        # fitted: e1 (40) and e3 (100), as they are and shrunk by 2
        self.assertEqual(b["train_hr_pixels"] - a["train_hr_pixels"],
                         40 * 40 + 100 * 100 + 20 * 20 + 50 * 50)
        self.assertEqual(b["extra_images"], 2)
        self.assertEqual(b["validation"], a["validation"])

    def test_extra_refine_from(self):
        """--extra-refine-from K: the refine stages before K fit --data alone,
        under the checkpoints of a run without --extra-data (they are
        resumed, not fitted again), and the extra photos join from stage K."""
        extra = os.path.join(self.tmp, "extra")
        os.makedirs(extra)
        im = Image.open(SAMPLE).convert("RGB")
        for i in range(2):
            im.crop((40 * i, 100, 40 * i + 80, 180)).save(os.path.join(extra, "e%d.png" % i))
        up = os.path.join(self.tmp, "u.lut")
        self.train(up, os.path.join(self.tmp, "wu"), ["--expand-step", "r", "--ft-iters", "0"])
        work = os.path.join(self.tmp, "wr")
        refine = ["--upscaling-lut", up, "--refine-stages", "2", "--refine-iters", "3",
                  "--refine-lam-ridge", "1", "--refine-lam-smooth", "4"]
        plain, late = os.path.join(self.tmp, "p.lut"), os.path.join(self.tmp, "l.lut")
        self.train(plain, work, refine)
        first = sorted(f for f in os.listdir(work) if "-refine1-" in f)
        self.assertTrue(first)
        self.train(late, work, refine + ["--extra-data", extra, "--extra-refine-from", "2"])
        self.assertEqual(sorted(f for f in os.listdir(work) if "-refine1-" in f), first,
                         "stage 1 must resume the run without --extra-data")
        a, b = load(plain), load(late)
        np.testing.assert_array_equal(a.refine[0].table, b.refine[0].table)
        self.assertFalse(np.array_equal(a.refine[1].table, b.refine[1].table),
                         "the extra photos must change stage 2")
        with open(os.path.join(self.tmp, "l.json")) as f:
            self.assertEqual(json.load(f)["hyper_parameters"]["extra_refine_from"], 2)

    def test_clip_refit(self):
        """--clip-refit: at a shift that saturates many int8 codes, re-solving
        the free entries lowers the training error of the clipped table."""
        out = os.path.join(self.tmp, "c.lut")
        self.train(out, os.path.join(self.tmp, "wc"),
                   ["--expand-step", "r", "--shifts", "5", "--clip-refit", "4", "--ft-iters", "0"])
        with open(os.path.join(self.tmp, "c.json")) as f:
            info = json.load(f)["per_expand_step"]["2"]["shifts"]["5"]
        self.assertGreater(info["clipped_fraction"], 0.001)
        self.assertIn("val_psnr_before_refit", info)
        self.assertLess(info["train_mse_refit"], info["train_mse_clipped"])
        t = load(out).table
        self.assertTrue((t == 127).any() or (t == -128).any())


if __name__ == "__main__":
    _common.run_unittest()
