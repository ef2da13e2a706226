"""ECLUT training tool and numpy reference inference (see docs/lut-format.md)."""
