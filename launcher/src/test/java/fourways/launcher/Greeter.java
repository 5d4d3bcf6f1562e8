package fourways.launcher;

import java.util.List;

/** LauncherTest's stand-in for a module's real main: a Java 21 class file that echoes its arguments. */
public final class Greeter {
    private Greeter() {}

    public static void main(String[] args) {
        if (args.length == 2 && args[0].equals("exit")) System.exit(Integer.parseInt(args[1]));
        if (args.length == 1 && args[0].equals("throw")) throw new IllegalStateException("the real main");
        System.out.println("greeter: " + List.of(args));
    }
}
