package org.xanestream.publisher.hdf5;

import java.util.Map;

/**
 * Dataset paths of a result file. The registration and processed-spectrum groups follow TXM_Sandbox's
 * 2D XANES layout so its users find things where they expect them; our own maps sit beside them under
 * their xanestream names (DESIGN §4.4). Documented in {@code docs/result-files.md}.
 */
public final class ResultFileLayout {
    public static final String REG_GROUP = "registration_results/reg_results";
    public static final String REGISTERED_STACK = REG_GROUP + "/registered_xanes2D";
    public static final String ENERGIES = REG_GROUP + "/eng_list";
    public static final String DRIFT_X = REG_GROUP + "/drift_x_px";
    public static final String DRIFT_Y = REG_GROUP + "/drift_y_px";
    public static final String DRIFT_CONFIDENCE = REG_GROUP + "/drift_confidence";
    public static final String PROC_GROUP = "processed_XANES2D/proc_spectrum";
    public static final String PARAM_GROUP = "processed_XANES2D/proc_parameters";
    public static final String REFERENCES_GROUP = "processed_XANES2D/references";

    /** TXM_Sandbox dataset name → the xanestream map it holds. */
    public static final Map<String, String> TXM_SANDBOX_ALIASES = Map.of(
            "wl_pos_fit", "whiteline_ev",
            "edge50_pos_fit", "edge_ev",
            "edge_jump_filter", "mask");

    private ResultFileLayout() {
    }
}
