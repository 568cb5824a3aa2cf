package io.fifoactors.examples.demo;

import io.fifoactors.inmemory.FaultPlan;

/**
 * The knobs of a demo scenario.
 *
 * @param actors         accounts, products or seats
 * @param messages       transactions, movements or bookings to produce
 * @param seed           drives the workload and the simulation alike
 * @param faultRate      faults per port call (crashes, transient errors, stalls); simulator only
 * @param consumers      concurrent consumers (simulated, or the poller's receive loops)
 * @param batchSize      messages per receive (1 to 10)
 * @param deferShare     share of transfers/departures that wait for funds/stock instead of being rejected at once
 * @param poisonRate     share of produced messages replaced by malformed ones (they must be dead-lettered)
 * @param ingressBatch   records per ingress batch (ordered within a batch)
 */
public record ScenarioConfig(int actors, int messages, long seed, double faultRate, int consumers, int batchSize,
                             double deferShare, double poisonRate, int ingressBatch) {
    public FaultPlan faultPlan() {
        return faultRate == 0 ? FaultPlan.none() : FaultPlan.uniform(faultRate);
    }
}
