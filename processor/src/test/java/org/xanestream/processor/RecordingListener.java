package org.xanestream.processor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** An in-memory listener: records every call in order. Thread safe for reading after {@link #ended} fires. */
public final class RecordingListener implements ProcessorListener {
    public final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    public final List<ScanInfo> starts = Collections.synchronizedList(new ArrayList<>());
    public final List<EnergyPoint> points = Collections.synchronizedList(new ArrayList<>());
    public final List<MapsSnapshot> maps = Collections.synchronizedList(new ArrayList<>());
    public final List<ScanEnd> ends = Collections.synchronizedList(new ArrayList<>());
    public final CountDownLatch ended;

    public RecordingListener(int expectedScans) {
        this.ended = new CountDownLatch(expectedScans);
    }

    public RecordingListener() {
        this(1);
    }

    @Override
    public void onScanStart(ScanInfo scan) {
        starts.add(scan);
        calls.add("start " + scan.scanId());
    }

    @Override
    public void onEnergyPoint(EnergyPoint point) {
        points.add(point);
        calls.add("point " + point.scanId() + " " + point.energyEv());
    }

    @Override
    public void onMaps(MapsSnapshot m) {
        maps.add(m);
        calls.add((m.finalSnapshot() ? "final maps " : "maps ") + m.scanId() + " v" + m.version());
    }

    @Override
    public void onScanEnd(ScanEnd end) {
        ends.add(end);
        calls.add("end " + end.info().scanId());
        ended.countDown();
    }
}
