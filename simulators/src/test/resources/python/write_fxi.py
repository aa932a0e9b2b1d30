"""Writes a small FXI-layout file with h5py, chunked + gzip like beamline files.

usage: write_fxi.py OUT.h5 NX NY N_ENERGY
Values are a deterministic function of (energy, y, x) that the Java test recomputes.
"""
import sys

import h5py
import numpy as np

out, nx, ny, ne = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
e = np.arange(ne, dtype=np.float64)
y, x = np.mgrid[0:ny, 0:nx].astype(np.float32)
xanes = np.stack([0.5 + 0.001 * x + 0.002 * y + 0.01 * k for k in range(ne)]).astype(np.float32)
bkg = np.stack([20000 + 10 * x - 5 * y + k for k in range(ne)]).astype(np.float32)
dark = (100 + 0 * x)[None, :, :].astype(np.float32)
with h5py.File(out, "w") as f:
    f.create_dataset("img_xanes", data=xanes, chunks=(1, ny, nx), compression="gzip", compression_opts=4)
    f.create_dataset("img_bkg", data=bkg, chunks=(1, ny, nx), compression="gzip", shuffle=True)
    f.create_dataset("img_dark", data=dark, compression="gzip")
    f.create_dataset("X_eng", data=8.3 + 0.001 * e)
    f.create_dataset("scan_id", data=4242)
    f.create_dataset("note", data="h5py fixture")
    f.create_dataset("Magnification", data=246.0)
    f.create_dataset("Pixel Size", data="21.6nm")
