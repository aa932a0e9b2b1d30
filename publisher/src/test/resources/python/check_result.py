"""Reads a xanestream result file with h5py and prints a JSON summary for the Java test."""
import json
import sys

import h5py
import numpy as np

out = {}
with h5py.File(sys.argv[1], "r") as f:
    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            entry = {"shape": list(obj.shape), "dtype": str(obj.dtype)}
            if obj.dtype.kind == "f":
                a = obj[()]
                entry["nansum"] = float(np.nansum(a, dtype=np.float64))
                entry["nan"] = int(np.isnan(a).sum())
            units = obj.attrs.get("units")
            if units is not None:
                entry["units"] = units.decode() if isinstance(units, bytes) else str(units)
            out[name] = entry
    f.visititems(visit)
    out["_attrs"] = {k: (v.decode() if isinstance(v, bytes) else str(v)) for k, v in f.attrs.items()}
    out["_pixel"] = float(f["registration_results/reg_results/registered_xanes2D"][1, 2, 3])
print(json.dumps(out))
