"""Writes an FXI-layout scan of one noiseless particle with h5py, chunked + gzip like beamline files.

usage: write_fxi_particle.py OUT.h5 NX NY

A disk of radius min(NX, NY)/3 centred in the view; absorbance mu(E) = t * (0.8 * edge step at 8343 eV
+ whiteline Gaussian at 8350.5 eV, sigma 2.5 eV) + 0.1, t = 1 inside the disk, with 0.2 % Gaussian noise
on the transmission (seeded). Flats carry a smooth
beam profile, the dark is 100 counts. 56 energies from 8230 to 8450 eV, 1 eV steps across the edge.
"""
import sys

import h5py
import numpy as np

out, nx, ny = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
energies = np.concatenate([np.arange(8230, 8331, 5), np.arange(8335, 8361, 1), np.arange(8370, 8451, 10)]).astype(np.float64)
y, x = np.mgrid[0:ny, 0:nx].astype(np.float64)
r = np.hypot(x - (nx - 1) / 2, y - (ny - 1) / 2)
t = (r < min(nx, ny) / 3).astype(np.float64)
step = 1 / (1 + np.exp(-(energies - 8343.0) / 1.0))
peak = np.exp(-((energies - 8350.5) ** 2) / (2 * 2.5 ** 2))
mu = t[None, :, :] * (0.8 * step + 1.0 * peak)[:, None, None] + 0.1
rng = np.random.default_rng(1)
transmission = (np.exp(-mu) * (1 + rng.normal(0, 0.002, mu.shape))).astype(np.float32)
profile = 20000 * (1 + 0.1 * np.cos(x / nx * 3) * np.sin(y / ny * 2))
flats = np.stack([profile * (1 + 0.001 * k) for k in range(len(energies))]).astype(np.float32)
dark = np.full((1, ny, nx), 100, dtype=np.float32)
with h5py.File(out, "w") as f:
    f.create_dataset("img_xanes", data=transmission, chunks=(1, ny, nx), compression="gzip", compression_opts=4)
    f.create_dataset("img_bkg", data=flats, chunks=(1, ny, nx), compression="gzip", shuffle=True)
    f.create_dataset("img_dark", data=dark, compression="gzip")
    f.create_dataset("X_eng", data=energies / 1000.0)
    f.create_dataset("scan_id", data=31415)
    f.create_dataset("note", data="h5py particle fixture")
    f.create_dataset("Magnification", data=162.5)
    f.create_dataset("Pixel Size", data="40nm")
