package io.fifoactors.examples.ledger;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorRef;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.examples.ledger.AccountMessage.Credit;
import io.fifoactors.examples.ledger.AccountMessage.Deposit;
import io.fifoactors.examples.ledger.AccountMessage.Open;
import io.fifoactors.examples.ledger.AccountMessage.Refund;
import io.fifoactors.examples.ledger.AccountMessage.Transfer;
import io.fifoactors.testkit.ActorTestKit;
import io.fifoactors.testkit.Result;
import io.fifoactors.testkit.Sent;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The account actor on the real runtime, in conversations between accounts, through the test kit. */
class LedgerTest {
    private static final long MAX = Long.MAX_VALUE;
    private static final ActorRef<AccountMessage> ALICE = Ledger.account("alice");
    private static final ActorRef<AccountMessage> BOB = Ledger.account("bob");
    private static final ActorRef<AccountMessage> CAROL = Ledger.account("carol");
    /** Never opened. */
    private static final ActorRef<AccountMessage> GHOST = Ledger.account("ghost");

    private final ActorTestKit kit = ActorTestKit.of(Ledger.ACCOUNT);

    /** Opens {@code account} and deposits {@code balance} into it (if positive). */
    private void open(ActorRef<AccountMessage> account, long balance) {
        kit.when(account, new Open()).thenApplied();
        if (balance > 0) {
            kit.when(account, new Deposit(balance)).thenApplied();
        }
    }

    private Account state(ActorRef<AccountMessage> account) {
        return kit.state(Ledger.ACCOUNT, account.id().key());
    }

    private ActorSnapshot<Account> snapshot(ActorRef<AccountMessage> account) {
        return kit.snapshot(Ledger.ACCOUNT, account.id().key());
    }

    @Test
    void anAccountStartsClosedAndEmpty() {
        assertEquals(Account.NEW, state(ALICE));
        assertEquals(new Account(false, 0, 0, 0), state(ALICE));
        assertEquals(0, snapshot(ALICE).version());
    }

    @Test
    void openingOpensAndOpeningAgainChangesNothing() {
        kit.when(ALICE, new Open()).thenApplied().thenState(Account.opened(0, 0)).thenSentNothing();
        kit.when(ALICE, new Deposit(40)).thenApplied();
        kit.when(ALICE, new Open()).thenApplied().thenState(Account.opened(40, 40)).thenSentNothing();
        assertEquals(3, snapshot(ALICE).applied());
    }

    @Test
    void aDepositAddsToTheBalanceAndToDeposited() {
        open(ALICE, 0);
        kit.when(ALICE, new Deposit(100)).thenApplied().thenState(Account.opened(100, 100)).thenSentNothing();
        kit.when(ALICE, new Deposit(25)).thenApplied().thenState(Account.opened(125, 125));
    }

    @Test
    void aDepositToAnAccountNotOpenIsRejected() {
        kit.when(ALICE, new Deposit(100)).thenRejected(Ledger.NOT_OPEN).thenState(Account.NEW).thenSentNothing();
        assertEquals(1, snapshot(ALICE).rejected());
        assertEquals(Ledger.NOT_OPEN, snapshot(ALICE).recentRejections().get(0).reason());
    }

    @Test
    void invalidAmountsAndWaitsAreRejectedWhateverTheBalance() {
        open(ALICE, 100);
        Account unchanged = Account.opened(100, 100);
        kit.when(ALICE, new Deposit(0)).thenRejected(Ledger.DEPOSIT_NOT_POSITIVE).thenState(unchanged);
        kit.when(ALICE, new Deposit(-5)).thenRejected(Ledger.DEPOSIT_NOT_POSITIVE).thenState(unchanged);
        kit.when(ALICE, new Transfer("t0", BOB, 0, 0)).thenRejected(Ledger.TRANSFER_NOT_POSITIVE)
                .thenState(unchanged).thenSentNothing();
        kit.when(ALICE, new Transfer("t1", BOB, -30, 0)).thenRejected(Ledger.TRANSFER_NOT_POSITIVE)
                .thenState(unchanged).thenSentNothing();
        // a transfer that could wait is still rejected at once when its amount is invalid
        kit.when(ALICE, new Transfer("t2", BOB, -1, 60_000)).thenRejected(Ledger.TRANSFER_NOT_POSITIVE)
                .thenState(unchanged);
        kit.when(ALICE, new Transfer("t3", BOB, 500, -1)).thenRejected(Ledger.WAIT_OUT_OF_RANGE);
        kit.when(ALICE, new Transfer("t4", BOB, 500, MAX)).thenRejected(Ledger.WAIT_OUT_OF_RANGE)
                .thenState(unchanged).thenSentNothing();
        assertEquals(0, snapshot(ALICE).stash().size());
        assertEquals(7, snapshot(ALICE).rejected());
    }

    @Test
    void aTransferDebitsTheSenderAndTheReceiverIsCreditedExactlyOnce() {
        open(ALICE, 100);
        open(BOB, 0);
        Result r = kit.when(ALICE, new Transfer("t-1", BOB, 30, 0))
                .thenApplied()
                .thenState(Account.opened(70, 100))
                .thenSent(BOB, new Credit("t-1", ALICE, 30))
                .thenStateOf(BOB, Account.opened(30, 0));
        assertEquals(List.of(new Sent(ALICE.id(), BOB.id(), new Credit("t-1", ALICE, 30))), r.sent());
        assertEquals(1, snapshot(ALICE).sent());
        assertEquals(2, snapshot(BOB).applied()); // the opening and the credit
    }

    @Test
    void aTransferOfTheWholeBalanceIsApplied() {
        open(ALICE, 50);
        open(BOB, 0);
        kit.when(ALICE, new Transfer("t-1", BOB, 50, 0)).thenApplied().thenState(Account.opened(0, 50))
                .thenSent(BOB, new Credit("t-1", ALICE, 50)).thenStateOf(BOB, Account.opened(50, 0));
    }

    @Test
    void aTransferWithoutFundsIsRejectedAndSendsNothing() {
        open(ALICE, 20);
        kit.when(ALICE, new Transfer("t-1", BOB, 21, 0)).thenRejected(Ledger.INSUFFICIENT_FUNDS)
                .thenState(Account.opened(20, 20)).thenSentNothing();
        assertEquals(0, snapshot(ALICE).stash().size());
        assertEquals(0, snapshot(ALICE).deferred());
    }

    @Test
    void aTransferFromAnAccountNotOpenIsRejected() {
        kit.when(ALICE, new Transfer("t-1", BOB, 10, 60_000)).thenRejected(Ledger.NOT_OPEN).thenSentNothing();
        assertEquals(0, snapshot(ALICE).stash().size());
    }

    @Test
    void aTransferToTheSameAccountIsRejectedEvenWithFunds() {
        open(ALICE, 100);
        kit.when(ALICE, new Transfer("t-1", ALICE, 10, 0)).thenRejected(Ledger.SAME_ACCOUNT)
                .thenState(Account.opened(100, 100)).thenSentNothing();
        kit.when(ALICE, new Transfer("t-2", ALICE, 500, 60_000)).thenRejected(Ledger.SAME_ACCOUNT)
                .thenSentNothing();
        assertEquals(0, snapshot(ALICE).stash().size());
    }

    @Test
    void aTransferToAnActorThatIsNotAnAccountIsRejected() {
        open(ALICE, 100);
        // what a reference read from the wire may be: typed as an account, naming a product
        ActorRef<AccountMessage> product = ActorRef.unchecked(ActorId.of("product", "sku-1"));
        kit.when(ALICE, new Transfer("t-1", product, 10, 0)).thenRejected(Ledger.NOT_AN_ACCOUNT)
                .thenState(Account.opened(100, 100)).thenSentNothing();
    }

    // ---- the overflow finding: "Deposit(Long.MAX_VALUE) after a deposit gives a negative balance"

    @Test
    void aDepositThatWouldOverflowTheBalanceIsRejectedAndChangesNothing() {
        open(ALICE, 1);
        kit.when(ALICE, new Deposit(MAX)).thenRejected(Ledger.DEPOSIT_TOO_LARGE).thenState(Account.opened(1, 1))
                .thenSentNothing();
        // up to the limit is fine
        kit.when(ALICE, new Deposit(MAX - 1)).thenApplied().thenState(Account.opened(MAX, MAX));
        kit.when(ALICE, new Deposit(1)).thenRejected(Ledger.DEPOSIT_TOO_LARGE).thenState(Account.opened(MAX, MAX));
    }

    @Test
    void aDepositThatWouldOverflowTheDepositedTotalIsRejectedEvenWithRoomInTheBalance() {
        open(ALICE, MAX);
        open(BOB, 0);
        kit.when(ALICE, new Transfer("t-1", BOB, MAX, 0)).thenApplied().thenState(Account.opened(0, MAX));
        kit.when(ALICE, new Deposit(1)).thenRejected(Ledger.DEPOSIT_TOO_LARGE).thenState(Account.opened(0, MAX));
    }

    @Test
    void aDepositThatWouldOverflowABalanceFilledByCreditsIsRejected() {
        open(BOB, MAX);
        open(ALICE, 0);
        kit.when(BOB, new Transfer("t-1", ALICE, MAX, 0)).thenApplied().thenStateOf(ALICE, Account.opened(MAX, 0));
        // the deposited total (0) has room; the balance has none
        kit.when(ALICE, new Deposit(1)).thenRejected(Ledger.DEPOSIT_TOO_LARGE).thenState(Account.opened(MAX, 0));
    }

    @Test
    void aCreditThatWouldOverflowTheReceiverIsRefundedToTheSender() {
        open(ALICE, 100);
        open(BOB, MAX);
        Result r = kit.when(ALICE, new Transfer("t-1", BOB, 10, 0)).thenApplied()
                .thenSent(BOB, new Credit("t-1", ALICE, 10))
                .thenSent(ALICE, new Refund("t-1", 10))
                .thenState(Account.opened(100, 100))
                .thenStateOf(BOB, Account.opened(MAX, MAX));
        assertEquals(2, r.sent().size());
        assertEquals(Ledger.CREDIT_TOO_LARGE, snapshot(BOB).recentRejections().get(0).reason());
    }

    @Test
    void aRefundThatWouldOverflowIsKeptInSuspenseAndPostedWhenATransferMakesRoom() {
        open(BOB, 100);
        open(ALICE, 0);
        open(CAROL, 0);
        // alice gets 100 by a credit, so that a deposit can then fill her balance without overflowing deposited
        kit.when(BOB, new Transfer("t-0", ALICE, 100, 0)).thenApplied().thenStateOf(ALICE, Account.opened(100, 0));
        // alice sends 10 to the ghost, and a deposit fills her balance before the ghost's refund comes back: the
        // transfer is queued behind nothing, the deposit right behind it, the refund behind both
        kit.system().tell(ALICE, new Transfer("t-1", GHOST, 10, 0), "tx-1");
        kit.when(ALICE, new Deposit(MAX - 90)).thenApplied()
                .thenSent(GHOST, new Credit("t-1", ALICE, 10))
                .thenSent(ALICE, new Refund("t-1", 10))
                .thenState(new Account(true, MAX, MAX - 90, 10));
        // the refund was applied (kept, not refused)
        assertEquals(0, snapshot(ALICE).rejected());

        // a transfer out makes room: as much of the suspense as fits moves into the balance
        kit.when(ALICE, new Transfer("t-2", CAROL, 4, 0)).thenApplied()
                .thenState(new Account(true, MAX, MAX - 90, 6));
        kit.when(ALICE, new Transfer("t-3", CAROL, 100, 0)).thenApplied()
                .thenState(new Account(true, MAX - 94, MAX - 90, 0));
        // money conserved: balances + suspense = deposits (more than a long holds in total, hence BigInteger)
        BigInteger deposits = BigInteger.ZERO;
        BigInteger held = BigInteger.ZERO;
        for (ActorRef<AccountMessage> a : List.of(ALICE, BOB, CAROL)) {
            deposits = deposits.add(BigInteger.valueOf(state(a).deposited()));
            held = held.add(BigInteger.valueOf(state(a).balance())).add(BigInteger.valueOf(state(a).suspense()));
        }
        assertEquals(BigInteger.valueOf(MAX).add(BigInteger.valueOf(10)), deposits);
        assertEquals(deposits, held);
    }

    // ---- credits and refunds

    @Test
    void aCreditToAnAccountNotOpenIsRefusedAndRefundedToItsSender() {
        open(ALICE, 100);
        kit.when(ALICE, new Transfer("t-7", GHOST, 40, 0)).thenApplied()
                .thenSent(GHOST, new Credit("t-7", ALICE, 40))
                .thenSent(ALICE, new Refund("t-7", 40))
                .thenState(Account.opened(100, 100))
                .thenStateOf(GHOST, Account.NEW);
        ActorSnapshot<Account> ghost = snapshot(GHOST);
        assertEquals(1, ghost.rejected());
        assertEquals(Ledger.NOT_OPEN_REFUNDED, ghost.recentRejections().get(0).reason());
        assertEquals(1, ghost.sent());
    }

    @Test
    void aRefundCanFundAWaitingTransfer() {
        open(ALICE, 40);
        open(BOB, 0);
        // the transfer to the ghost is queued first, the waiting transfer right behind it; the refund comes last
        kit.system().tell(ALICE, new Transfer("t-7", GHOST, 40, 0), "tx-7");
        Result r = kit.when(ALICE, new Transfer("t-8", BOB, 30, 60_000)).thenApplied()
                .thenSent(ALICE, new Refund("t-7", 40)).thenSent(BOB, new Credit("t-8", ALICE, 30))
                .thenState(Account.opened(10, 40)).thenStateOf(BOB, Account.opened(30, 0));
        String waiting = r.outcome().messageId();
        // deferred for lack of funds, then applied when the refund came back
        assertEquals(List.of(Outcome.Kind.DEFERRED, Outcome.Kind.APPLIED), r.outcomes().stream()
                .filter(o -> o.messageId().equals(waiting)).map(Outcome::kind).toList());
    }

    @Test
    void creditsAndRefundsFromOutsideTheLedgerAreRejected() {
        open(ALICE, 10);
        // money enters only by deposits: a producer cannot claim to be an account
        kit.when(ALICE, new Credit("t-1", BOB, 40)).thenRejected(Ledger.CREDIT_NOT_FROM_SENDER)
                .thenState(Account.opened(10, 10)).thenSentNothing();
        kit.when(ALICE, new Refund("t-1", 40)).thenRejected(Ledger.REFUND_NOT_FROM_ACCOUNT)
                .thenState(Account.opened(10, 10)).thenSentNothing();
    }

    // ---- deferrals

    @Test
    void aWaitingTransferIsDeferredThenAppliedWhenADepositBringsTheFunds() {
        open(ALICE, 10);
        open(BOB, 0);
        String waiting = kit.when(ALICE, new Transfer("t-1", BOB, 50, 60_000))
                .thenDeferred().thenState(Account.opened(10, 10)).thenSentNothing().outcome().messageId();
        assertEquals(1, snapshot(ALICE).stash().size());

        kit.advanceTime(Duration.ofSeconds(30));
        Result funded = kit.when(ALICE, new Deposit(45)).thenApplied()
                .thenState(Account.opened(5, 55))
                .thenSent(BOB, new Credit("t-1", ALICE, 50));
        assertEquals(Outcome.Kind.APPLIED, funded.outcomeOf(ALICE, waiting).orElseThrow().kind());
        assertEquals(List.of(new Sent(ALICE.id(), BOB.id(), new Credit("t-1", ALICE, 50))), funded.sent());
        assertEquals(0, snapshot(ALICE).stash().size());
        assertEquals(1, snapshot(ALICE).deferred());
        assertEquals(0, snapshot(ALICE).rejected());
    }

    @Test
    void aWaitingTransferStaysDeferredUntilTheBalanceCoversAllOfIt() {
        open(ALICE, 0);
        open(BOB, 0);
        String waiting = kit.when(ALICE, new Transfer("t-1", BOB, 50, 60_000)).thenDeferred().outcome().messageId();
        Result partial = kit.when(ALICE, new Deposit(30)).thenApplied().thenState(Account.opened(30, 30))
                .thenSentNothing();
        assertTrue(partial.outcomeOf(ALICE, waiting).isEmpty(), "retried but not decided again: "
                + partial.outcomes());
        assertEquals(1, snapshot(ALICE).stash().size());
        kit.when(ALICE, new Deposit(20)).thenApplied().thenState(Account.opened(0, 50))
                .thenSent(BOB, new Credit("t-1", ALICE, 50));
        assertEquals(0, snapshot(ALICE).stash().size());
    }

    @Test
    void aWaitingTransferIsAppliedWhenACreditFromAnotherAccountBringsTheFunds() {
        open(ALICE, 0);
        open(BOB, 50);
        open(CAROL, 0);
        String waiting = kit.when(ALICE, new Transfer("t-2", CAROL, 30, 60_000)).thenDeferred().outcome().messageId();
        Result credited = kit.when(BOB, new Transfer("t-1", ALICE, 50, 0)).thenApplied()
                .thenSent(ALICE, new Credit("t-1", BOB, 50))
                .thenSent(CAROL, new Credit("t-2", ALICE, 30))
                .thenStateOf(ALICE, Account.opened(20, 0))
                .thenStateOf(CAROL, Account.opened(30, 0));
        assertEquals(Outcome.Kind.APPLIED, credited.outcomeOf(ALICE, waiting).orElseThrow().kind());
    }

    @Test
    void deferredTransfersAreRetriedOldestFirst() {
        open(ALICE, 0);
        open(BOB, 0);
        open(CAROL, 0);
        String first = kit.when(ALICE, new Transfer("t-1", BOB, 50, 60_000)).thenDeferred().outcome().messageId();
        String second = kit.when(ALICE, new Transfer("t-2", CAROL, 30, 60_000)).thenDeferred().outcome().messageId();
        assertEquals(2, snapshot(ALICE).stash().size());

        // 60 covers the first (50) but then not the second (30): the first goes, the second keeps waiting
        Result r = kit.when(ALICE, new Deposit(60)).thenApplied().thenState(Account.opened(10, 60));
        assertEquals(List.of(new Sent(ALICE.id(), BOB.id(), new Credit("t-1", ALICE, 50))), r.sent());
        assertEquals(Outcome.Kind.APPLIED, r.outcomeOf(ALICE, first).orElseThrow().kind());
        assertTrue(r.outcomeOf(ALICE, second).isEmpty());
        assertEquals(1, snapshot(ALICE).stash().size());

        kit.when(ALICE, new Deposit(20)).thenApplied().thenState(Account.opened(0, 80))
                .thenSent(CAROL, new Credit("t-2", ALICE, 30));
        assertEquals(0, snapshot(ALICE).stash().size());
    }

    @Test
    void aDeferralExpiresAtItsDeadlineWithNoOtherMessage() {
        open(ALICE, 10);
        String waiting = kit.when(ALICE, new Transfer("t-1", BOB, 50, 60_000)).thenDeferred().outcome().messageId();

        Result early = kit.advanceTime(Duration.ofSeconds(59));
        assertTrue(early.outcomeOf(ALICE, waiting).isEmpty(), "expired early: " + early.outcomes());
        assertEquals(1, snapshot(ALICE).stash().size());

        // the runtime's own timer expires it on time: no wake, no other message
        Result expired = kit.advanceTime(Duration.ofSeconds(1)).thenStateOf(ALICE, Account.opened(10, 10))
                .thenSentNothing();
        Outcome o = expired.outcomeOf(ALICE, waiting).orElseThrow();
        assertEquals(Outcome.Kind.REJECTED, o.kind());
        assertEquals("deferral deadline passed", o.detail());
        assertEquals(0, snapshot(ALICE).stash().size());
        assertEquals(1, snapshot(ALICE).rejected());
        assertEquals("deferral deadline passed", snapshot(ALICE).recentRejections().get(0).reason());

        // money arriving afterwards does not revive it
        kit.when(ALICE, new Deposit(100)).thenApplied().thenState(Account.opened(110, 110)).thenSentNothing();
    }

    @Test
    void theDeferralDeadlineIsTheEnqueueTimePlusTheWait() {
        open(ALICE, 10);
        kit.advanceTime(Duration.ofSeconds(3));
        Instant enqueued = kit.now();
        kit.when(ALICE, new Transfer("t-1", BOB, 50, 90_000)).thenDeferred().thenSentNothing();
        assertEquals(enqueued.plusMillis(90_000), snapshot(ALICE).stash().get(0).deadline());
    }
}
