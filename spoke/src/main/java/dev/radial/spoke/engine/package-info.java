/**
 * The supervisor's engine: one owner thread for all of its state.
 *
 * <p>The thread named {@code engine} ({@link dev.radial.spoke.engine.Engine}'s loop) is the only one that reads
 * or writes process groups, processes and their state machines ({@code process/}), timers, the child table and
 * the epoll set. Other threads reach that state in exactly two ways: {@code Engine.submit} queues a function that
 * the engine thread runs (RPC handlers wait on the returned future, never on a lock), and
 * {@code Engine.childSignal}, {@code shutdown}, {@code restart} set a flag or queue a command from a signal
 * thread. Either wakes the loop through the epoll set's eventfd. There are no locks around engine state because
 * nothing else touches it.
 *
 * <p>The loop never blocks except in {@code epoll_wait}: child output pipes are non-blocking and read as they
 * become readable; child stdin pipes are non-blocking with a bounded buffer ({@code os.StdinPipe}), written when
 * writable, a full buffer refused to the caller; child exits arrive as readable pidfds and are reaped there with
 * {@code waitid(P_PIDFD)} (adopted orphans after SIGCHLD), so the thread that forgets a pid is the thread that
 * reaped it and no other thread reaps. Deadlines (startsecs, stopwaitsecs, backoff) come from a timer queue on
 * the same clock as {@code ProcessHost.nanoTime}. The last step of a shutdown waits, bounded, for SIGKILLed
 * leftovers to die.
 */
package dev.radial.spoke.engine;
