package org.xanestream.simulators;

import org.xanestream.simulators.acquisition.EnergyGrid;

/** Small, fast configurations for tests. */
final class TestConfigs {
    private TestConfigs() {
    }

    /** 64×64 pixels of 0.3 µm (19 µm view), 6 energies around the Ni edge, 2 threads. */
    static SimulatorConfig small() {
        return SimulatorConfig.defaults().withSize(64, 64).withPixelSizeUm(0.3)
                .withEnergies(EnergyGrid.parse("-60,-20,0,3,30,120", true)).withThreads(2);
    }
}
