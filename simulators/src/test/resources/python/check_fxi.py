"""Reads an FXI file written by xanestream with h5py and prints a JSON summary for the Java test."""
import json
import sys

import h5py
import numpy as np

with h5py.File(sys.argv[1], "r") as f:
    out = {}
    for name in ("img_xanes", "img_bkg", "img_dark", "X_eng"):
        d = f[name]
        out[name] = {"shape": list(d.shape), "dtype": str(d.dtype), "sum": float(np.nansum(d[()]))}
    out["pixel_size"] = f["Pixel Size"][()].decode() if isinstance(f["Pixel Size"][()], bytes) else str(f["Pixel Size"][()])
    out["scan_id"] = f["scan_id"][()].decode() if isinstance(f["scan_id"][()], bytes) else str(f["scan_id"][()])
    out["x_eng"] = [float(v) for v in f["X_eng"][()]]
    out["first_pixel"] = float(f["img_xanes"][1, 2, 3])
print(json.dumps(out))
