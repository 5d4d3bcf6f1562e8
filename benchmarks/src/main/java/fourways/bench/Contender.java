package fourways.bench;

import fourways.bench.netty.NettyModel;
import fourways.protocol.Model;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Everything the benchmarks compare, in one list: the four models and the Netty baseline.
 * Adding a model is one line here (and its dependency in benchmarks/pom.xml); the JMH
 * benchmarks ({@code @Param Contender model}), the side-by-side run and the client matrix test
 * all read this list.
 *
 * <p>A module's model is named by its class, not referenced: the benchmarks then compile with
 * whichever modules are built, and a missing one is simply {@linkplain #isAvailable() unavailable}.
 */
public enum Contender implements Entrant {
    BLOCKING_IO("blocking-io", "fourways.blocking.BlockingModel"),
    NIO_SELECTOR("nio-selector", "fourways.selector.SelectorModel"),
    NIO2_ASYNC("nio2-async", "fourways.async.AsyncModel"),
    VIRTUAL_THREADS("virtual-threads", "fourways.virtual.VirtualModel"),
    NETTY_NIO(NettyModel.Transport.NIO),
    NETTY_EPOLL(NettyModel.Transport.EPOLL),
    NETTY_KQUEUE(NettyModel.Transport.KQUEUE);

    /** The client the side-by-side run and the benchmarks drive load with, first available wins. */
    static final List<Contender> PREFERRED_LOAD_CLIENTS = List.of(NIO_SELECTOR, BLOCKING_IO);

    private final String label;
    private final String modelClass;                  // null for the Netty baseline
    private final NettyModel.Transport transport;     // null for a module

    Contender(String module, String modelClass) {
        this.label = module;
        this.modelClass = modelClass;
        this.transport = null;
    }

    Contender(NettyModel.Transport transport) {
        this.label = "netty-" + transport.name().toLowerCase(Locale.ROOT);
        this.modelClass = null;
        this.transport = transport;
    }

    /** The module's name ({@code blocking-io}), or {@code netty-nio} / {@code netty-epoll} / {@code netty-kqueue}. */
    @Override
    public String label() {
        return label;
    }

    /** One of the four modules, with a client of its own; false for the Netty baseline (server only). */
    public boolean isModule() {
        return modelClass != null;
    }

    /** The Netty transport, or null for a module. */
    public NettyModel.Transport transport() {
        return transport;
    }

    /** The module is on the class path, or Netty's transport loads on this machine. */
    public boolean isAvailable() {
        if (!isModule()) return transport.isAvailable();
        try {
            Class.forName(modelClass, false, Contender.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** A new instance of the model behind the seam. */
    public Model model() {
        if (!isModule()) return new NettyModel(transport);
        try {
            return (Model) Class.forName(modelClass).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(label + " is not on the class path (is its module built?)", e);
        }
    }

    public static List<Contender> available() {
        return Arrays.stream(values()).filter(Contender::isAvailable).toList();
    }

    /**
     * The side-by-side run's servers by default: with {@code --full} every one available; a
     * quick run keeps one Netty row, the baseline, on this platform's native transport where it
     * loads (epoll on Linux), else NIO. With both Netty rows the quick run took 283 s of trials
     * (2026-12-06, 00:02 UTC), past its four minutes.
     */
    public static List<Contender> listed(boolean full) {
        if (full) return available();
        NettyModel.Transport baseline = NettyModel.Transport.nativeOrNio();
        return available().stream().filter(c -> c.isModule() || c.transport == baseline).toList();
    }

    /** The available models that have a client: every module, not Netty. */
    public static List<Contender> clients() {
        return available().stream().filter(Contender::isModule).toList();
    }

    /** The first available of {@link #PREFERRED_LOAD_CLIENTS}. */
    public static Contender preferredLoadClient() {
        return PREFERRED_LOAD_CLIENTS.stream().filter(Contender::isAvailable).findFirst()
                .orElseThrow(() -> new IllegalStateException("no model with a load client is available"));
    }

    /** By label ({@code nio-selector}) or by constant name ({@code NIO_SELECTOR}). */
    public static Contender byName(String name) {
        for (Contender c : values()) {
            if (c.label.equalsIgnoreCase(name) || c.name().equalsIgnoreCase(name)) return c;
        }
        throw new IllegalArgumentException("no model named '" + name + "'; known: "
                + Arrays.stream(values()).map(Contender::label).toList());
    }

    @Override
    public String toString() {
        return label;
    }
}
