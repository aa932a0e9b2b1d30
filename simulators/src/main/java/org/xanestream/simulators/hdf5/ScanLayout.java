package org.xanestream.simulators.hdf5;

/** The HDF5 layouts a {@link RecordedScan} can be read from. */
public enum ScanLayout {
    /**
     * NSLS-II FXI {@code xanes_scan2}: {@code /img_xanes} (n_energy, ny, nx) float32 already
     * dark/flat-normalized transmission, {@code /img_bkg} one flat per energy, {@code /img_dark}
     * (1, ny, nx), {@code /X_eng} keV.
     */
    FXI,
    /**
     * APS 32-ID DXchange: {@code /exchange/data} raw sample images per energy, {@code /exchange/data_white}
     * flats (one per energy, or a few shared by all), {@code /exchange/data_dark}, {@code /exchange/energy} keV.
     */
    DXCHANGE
}
