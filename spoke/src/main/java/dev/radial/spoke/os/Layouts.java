package dev.radial.spoke.os;

import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.StructLayout;

/**
 * The C structs the spoke passes to glibc, written out per architecture (glibc 2.34+, LP64 Linux). Sizes and
 * offsets were checked against the headers with {@code sizeof}/{@code offsetof} on x86-64 (recorded in
 * {@code LayoutsTest}); aarch64 differs only where the kernel ABI does: {@code struct epoll_event} is packed on
 * x86-64 (12 bytes, data at offset 4) and naturally aligned elsewhere (16 bytes, data at offset 8).
 */
final class Layouts {
    private Layouts() {
    }

    /** sigset_t: 1024 bits; bit (sig - 1) of 64-bit little-endian words, on both architectures. */
    static final StructLayout SIGSET = structLayout(sequenceLayout(16, JAVA_LONG).withName("val"));

    /** struct epoll_event { uint32_t events; epoll_data_t data; }. */
    static final StructLayout EPOLL_EVENT = epollEvent(Ffm.ARCH);
    static final long EPOLL_EVENTS_OFFSET = EPOLL_EVENT.byteOffset(PathElement.groupElement("events"));
    static final long EPOLL_DATA_OFFSET = EPOLL_EVENT.byteOffset(PathElement.groupElement("data"));

    static StructLayout epollEvent(Ffm.Arch arch) {
        return switch (arch) {
            case X86_64 -> structLayout(JAVA_INT.withName("events"), JAVA_LONG_UNALIGNED.withName("data"));
            case AARCH64 -> structLayout(JAVA_INT.withName("events"), paddingLayout(4), JAVA_LONG.withName("data"));
        };
    }

    /** siginfo_t (128 bytes), the SIGCHLD members of its union. */
    static final StructLayout SIGINFO = structLayout(
            JAVA_INT.withName("si_signo"), JAVA_INT.withName("si_errno"), JAVA_INT.withName("si_code"),
            paddingLayout(4), JAVA_INT.withName("si_pid"), JAVA_INT.withName("si_uid"),
            JAVA_INT.withName("si_status"), paddingLayout(128 - 28));
    static final long SI_CODE = SIGINFO.byteOffset(PathElement.groupElement("si_code"));
    static final long SI_PID = SIGINFO.byteOffset(PathElement.groupElement("si_pid"));
    static final long SI_STATUS = SIGINFO.byteOffset(PathElement.groupElement("si_status"));

    /** glibc's struct sigaction (not the kernel's): the same on x86-64 and aarch64. */
    static final StructLayout SIGACTION = structLayout(
            ADDRESS.withName("sa_handler"), SIGSET.withName("sa_mask"), JAVA_INT.withName("sa_flags"),
            paddingLayout(4), ADDRESS.withName("sa_restorer"));
    static final long SA_HANDLER = SIGACTION.byteOffset(PathElement.groupElement("sa_handler"));

    /** posix_spawn_file_actions_t: opaque to us, only its size matters (glibc initialises it). */
    static final StructLayout SPAWN_FILE_ACTIONS = structLayout(
            JAVA_INT.withName("__allocated"), JAVA_INT.withName("__used"), ADDRESS.withName("__actions"),
            sequenceLayout(16, JAVA_INT).withName("__pad"));

    /** posix_spawnattr_t: opaque to us, only its size matters (glibc initialises it). */
    static final StructLayout SPAWN_ATTR = structLayout(
            JAVA_SHORT.withName("__flags"), paddingLayout(2), JAVA_INT.withName("__pgrp"),
            SIGSET.withName("__sd"), SIGSET.withName("__ss"), JAVA_INT.withName("__sp"),
            JAVA_INT.withName("__policy"), sequenceLayout(16, JAVA_INT).withName("__pad"));

    /** struct pollfd { int fd; short events; short revents; }. */
    static final StructLayout POLLFD = structLayout(JAVA_INT.withName("fd"), JAVA_SHORT.withName("events"),
            JAVA_SHORT.withName("revents"));
}
