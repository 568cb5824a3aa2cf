package io.fifoactors.testkit;

import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.inmemory.Simulation;
import io.fifoactors.property.Gen;
import io.fifoactors.property.Property;

import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A property of the user's own actors, checked on the deterministic simulator under generated deployments and
 * faults: for every generated workload and {@link Setup} (consumers, batch size, crashes, stalls, outages, stale
 * reads, an operator moving dead letters back), the check sends the workload into a fresh {@link World}, runs it until
 * everything settled (timers and deadlines included) and asserts the domain's invariants. A failure is shrunk to a
 * small workload and setup and reported with the seeds that replay it exactly.
 *
 * <pre>{@code
 * SimulationProperty.forAll(Gen.integers(1, 500).list(1, 50))
 *         .actors(b -> b.register(Ledger.ACCOUNT))
 *         .check((amounts, world) -> {
 *             for (int i = 0; i < amounts.size(); i++) {
 *                 world.tell(Ledger.ACCOUNT.ref("a"), new Deposit(amounts.get(i)), "d-" + i);
 *             }
 *             world.runUntilQuiet();
 *             assertEquals(amounts.stream().mapToLong(x -> x).sum(), world.state(Ledger.ACCOUNT, "a").balance());
 *         });
 * }</pre>
 *
 * <p>Tries and seed come from {@code .tries(n)}/{@code .seed(s)} or the system properties {@code fa.property.tries}
 * and {@code fa.property.seed} (see the property-testing module). Immutable; {@code check} runs on the calling thread.
 *
 * @param <W> the workload type
 */
public final class SimulationProperty<W> {
    /** A check of one try: send the workload into the world, run it, assert. */
    @FunctionalInterface
    public interface Check<W> {
        void check(W workload, World world) throws Exception;
    }

    private final Gen<W> workloads;
    private final Gen<Setup> setups;
    private final BiConsumer<ActorSystem.Builder, Setup> actors;
    private final Integer tries;
    private final Long seed;
    private final Consumer<Simulation.Builder> simulation;

    private SimulationProperty(Gen<W> workloads, Gen<Setup> setups, BiConsumer<ActorSystem.Builder, Setup> actors,
                               Integer tries, Long seed, Consumer<Simulation.Builder> simulation) {
        this.workloads = workloads;
        this.setups = setups;
        this.actors = actors;
        this.tries = tries;
        this.seed = seed;
        this.simulation = simulation;
    }

    /** A property over generated workloads, under {@link Setup#GEN} (every kind of fault). */
    public static <W> SimulationProperty<W> forAll(Gen<W> workloads) {
        return new SimulationProperty<>(Objects.requireNonNull(workloads, "workloads"), Setup.GEN, null, null, null,
                b -> { });
    }

    /** Registers the actor types and runtime settings (required). */
    public SimulationProperty<W> actors(Consumer<ActorSystem.Builder> actors) {
        Objects.requireNonNull(actors, "actors");
        return actors((b, setup) -> actors.accept(b));
    }

    /**
     * Registers the actor types and runtime settings of each try from its {@link Setup}, so settings vary with the
     * try and shrink with it: {@code .actors((b, setup) -> b.register(T).recordCache(setup.seed() % 2 == 0 ? 100 : 0))}.
     */
    public SimulationProperty<W> actors(BiConsumer<ActorSystem.Builder, Setup> actors) {
        return new SimulationProperty<>(workloads, setups, Objects.requireNonNull(actors, "actors"), tries, seed,
                simulation);
    }

    /** The deployments and faults to try (default {@link Setup#GEN}). */
    public SimulationProperty<W> setups(Gen<Setup> setups) {
        return new SimulationProperty<>(workloads, Objects.requireNonNull(setups, "setups"), actors, tries, seed,
                simulation);
    }

    /** Further simulation settings (visibility timeout, retry delay, maxAttempts, start time). */
    public SimulationProperty<W> simulation(Consumer<Simulation.Builder> settings) {
        return new SimulationProperty<>(workloads, setups, actors, tries, seed,
                Objects.requireNonNull(settings, "settings"));
    }

    public SimulationProperty<W> tries(int n) {
        return new SimulationProperty<>(workloads, setups, actors, n, seed, simulation);
    }

    public SimulationProperty<W> seed(long s) {
        return new SimulationProperty<>(workloads, setups, actors, tries, s, simulation);
    }

    /** Checks the property; throws a {@code PropertyFailure} with the shrunk workload, setup and replay seeds. */
    public void check(Check<W> check) {
        if (actors == null) {
            throw new IllegalStateException("SimulationProperty needs actors(b -> b.register(...))");
        }
        Property.ForAll2<W, Setup> p = Property.forAll(workloads, setups);
        if (tries != null) {
            p = p.tries(tries);
        }
        if (seed != null) {
            p = p.seed(seed);
        }
        p.check((workload, setup) -> once(workload, setup, check));
    }

    /**
     * Checks one given workload under one given setup (a regression case, or a failure's shrunk example replayed as
     * a plain test): {@code property.checkExample(List.of(5, 7), Setup.quiet(1), check)}.
     */
    public void checkExample(W workload, Setup setup, Check<W> check) {
        if (actors == null) {
            throw new IllegalStateException("SimulationProperty needs actors(b -> b.register(...))");
        }
        Objects.requireNonNull(setup, "setup");
        try {
            once(workload, setup, check);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    private void once(W workload, Setup setup, Check<W> check) throws Exception {
        World world = new World(builder(setup), setup);
        try {
            check.check(workload, world);
        } catch (AssertionError | Exception e) {
            Simulation.RunResult r = world.lastRun();
            throw new AssertionError(e.getMessage() + (r == null ? "" : "\nlast run: " + r), e);
        } finally {
            world.close();
        }
    }

    private Simulation.Builder builder(Setup setup) {
        Simulation.Builder b = Simulation.builder().configure(sb -> actors.accept(sb, setup))
                .consumers(setup.consumers())
                .batchSize(setup.batchSize()).faults(setup.faults()).seed(setup.seed());
        if (setup.queueRedrive() > 0) {
            b.queueRedrive(setup.queueRedrive());
        }
        simulation.accept(b);
        return b;
    }
}
