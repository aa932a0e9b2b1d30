package org.xanestream.deploy;

public final class Main {
    public static void main(String[] args) {
        System.out.println("xanestream");
    }
}
