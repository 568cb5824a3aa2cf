package io.fifoactors.examples.ledger;

import io.fifoactors.core.Effect;
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

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The account actor on the real runtime, one message at a time, through the test kit. */
class LedgerTest {
    private static final String ALICE = "alice";

    /** An open account called alice with {@code balance} deposited. */
    private static ActorTestKit<Account, AccountMessage> alice(long balance) {
        ActorTestKit<Account, AccountMessage> kit = ActorTestKit.of(Ledger.ACCOUNT).key(ALICE);
        kit.send(new Open()).thenApplied().thenState(new Account(true, 0, 0));
        if (balance > 0) {
            kit.send(new Deposit(balance)).thenApplied().thenState(new Account(true, balance, balance));
        }
        return kit;
    }

    @Test
    void anAccountStartsClosedAndEmpty() {
        ActorTestKit<Account, AccountMessage> kit = ActorTestKit.of(Ledger.ACCOUNT).key(ALICE);
        assertEquals(Account.NEW, kit.state());
        assertEquals(new Account(false, 0, 0), kit.state());
        assertEquals(0, kit.snapshot().version());
    }

    @Test
    void openingOpensAndOpeningAgainChangesNothing() {
        ActorTestKit<Account, AccountMessage> kit = ActorTestKit.of(Ledger.ACCOUNT).key(ALICE);
        kit.send(new Open()).thenApplied().thenState(new Account(true, 0, 0)).thenSentNothing();
        kit.send(new Deposit(40)).thenApplied();
        kit.send(new Open()).thenApplied().thenState(new Account(true, 40, 40)).thenSentNothing();
        assertEquals(3, kit.snapshot().applied());
    }

    @Test
    void aDepositAddsToTheBalanceAndToDeposited() {
        ActorTestKit<Account, AccountMessage> kit = alice(0);
        kit.send(new Deposit(100)).thenApplied().thenState(new Account(true, 100, 100)).thenSentNothing();
        kit.send(new Deposit(25)).thenApplied().thenState(new Account(true, 125, 125));
    }

    @Test
    void aDepositToAnAccountNotOpenIsRejected() {
        ActorTestKit<Account, AccountMessage> kit = ActorTestKit.of(Ledger.ACCOUNT).key(ALICE);
        kit.send(new Deposit(100)).thenRejected("account is not open").thenState(Account.NEW).thenSentNothing();
        assertEquals(1, kit.snapshot().rejected());
        assertEquals("account is not open", kit.snapshot().recentRejections().get(0).reason());
    }

    @Test
    void invalidAmountsAreRejectedWhateverTheBalance() {
        ActorTestKit<Account, AccountMessage> kit = alice(100);
        Account unchanged = new Account(true, 100, 100);
        kit.send(new Deposit(0)).thenRejected("deposit amount must be positive").thenState(unchanged);
        kit.send(new Deposit(-5)).thenRejected("deposit amount must be positive").thenState(unchanged);
        kit.send(new Transfer("t0", "bob", 0, 0)).thenRejected("transfer amount must be positive")
                .thenState(unchanged).thenSentNothing();
        kit.send(new Transfer("t1", "bob", -30, 0)).thenRejected("transfer amount must be positive")
                .thenState(unchanged).thenSentNothing();
        // a transfer that could wait is still rejected at once when its amount is invalid
        kit.send(new Transfer("t2", "bob", -1, 60_000)).thenRejected("transfer amount must be positive")
                .thenState(unchanged);
        assertEquals(0, kit.snapshot().stashed());
        assertEquals(5, kit.snapshot().rejected());
    }

    @Test
    void aTransferDebitsTheSenderAndSendsExactlyOneCreditToTheReceiver() {
        ActorTestKit<Account, AccountMessage> kit = alice(100);
        Result<Account> r = kit.send(new Transfer("t-1", "bob", 30, 0))
                .thenApplied()
                .thenState(new Account(true, 70, 100))
                .thenSent(Ledger.account("bob"), new Credit("t-1", ALICE, 30));
        assertEquals(List.of(new Sent(Ledger.account("bob"), new Credit("t-1", ALICE, 30))), r.sent());
        assertEquals(1, r.snapshot().sent());
    }

    @Test
    void aTransferOfTheWholeBalanceIsApplied() {
        ActorTestKit<Account, AccountMessage> kit = alice(50);
        kit.send(new Transfer("t-1", "bob", 50, 0)).thenApplied().thenState(new Account(true, 0, 50))
                .thenSent(Ledger.account("bob"), new Credit("t-1", ALICE, 50));
    }

    @Test
    void aTransferWithoutFundsIsRejectedAndSendsNothing() {
        ActorTestKit<Account, AccountMessage> kit = alice(20);
        kit.send(new Transfer("t-1", "bob", 21, 0)).thenRejected("insufficient funds")
                .thenState(new Account(true, 20, 20)).thenSentNothing();
        assertEquals(0, kit.snapshot().stashed());
        assertEquals(0, kit.snapshot().deferred());
    }

    @Test
    void aTransferFromAnAccountNotOpenIsRejected() {
        ActorTestKit<Account, AccountMessage> kit = ActorTestKit.of(Ledger.ACCOUNT).key(ALICE);
        kit.send(new Transfer("t-1", "bob", 10, 60_000)).thenRejected("account is not open").thenSentNothing();
        assertEquals(0, kit.snapshot().stashed());
    }

    @Test
    void aTransferToTheSameAccountIsRejectedEvenWithFunds() {
        ActorTestKit<Account, AccountMessage> kit = alice(100);
        kit.send(new Transfer("t-1", ALICE, 10, 0)).thenRejected("cannot transfer to the same account")
                .thenState(new Account(true, 100, 100)).thenSentNothing();
        kit.send(new Transfer("t-2", ALICE, 500, 60_000)).thenRejected("cannot transfer to the same account")
                .thenSentNothing();
        assertEquals(0, kit.snapshot().stashed());
    }

    @Test
    void aWaitingTransferIsDeferredThenAppliedWhenADepositBringsTheFunds() {
        ActorTestKit<Account, AccountMessage> kit = alice(10);
        Result<Account> deferred = kit.send(new Transfer("t-1", "bob", 50, 60_000))
                .thenDeferred().thenState(new Account(true, 10, 10)).thenSentNothing();
        assertEquals(1, deferred.snapshot().stashed());

        kit.advanceTime(Duration.ofSeconds(30));
        Result<Account> funded = kit.send(new Deposit(45)).thenApplied()
                .thenState(new Account(true, 5, 55))
                .thenSent(Ledger.account("bob"), new Credit("t-1", ALICE, 50));
        Outcome transfer = funded.outcomeOf(deferred.messageId()).orElseThrow();
        assertEquals(Outcome.Kind.APPLIED, transfer.kind());
        assertEquals(List.of(new Sent(Ledger.account("bob"), new Credit("t-1", ALICE, 50))), funded.sent());
        assertEquals(0, funded.snapshot().stashed());
        assertEquals(1, funded.snapshot().deferred());
        assertEquals(0, funded.snapshot().rejected());
    }

    @Test
    void aWaitingTransferStaysDeferredUntilTheBalanceCoversAllOfIt() {
        ActorTestKit<Account, AccountMessage> kit = alice(0);
        Result<Account> deferred = kit.send(new Transfer("t-1", "bob", 50, 60_000)).thenDeferred();
        Result<Account> partial = kit.send(new Deposit(30)).thenApplied().thenState(new Account(true, 30, 30))
                .thenSentNothing();
        assertEquals(Outcome.Kind.DEFERRED, kit.outcomes().stream()
                .filter(o -> o.messageId().equals(deferred.messageId())).reduce((a, b) -> b).orElseThrow().kind());
        assertTrue(partial.outcomeOf(deferred.messageId()).isEmpty(), "retried but not decided again: "
                + partial.outcomes());
        assertEquals(1, partial.snapshot().stashed());
        kit.send(new Deposit(20)).thenApplied().thenState(new Account(true, 0, 50))
                .thenSent(Ledger.account("bob"), new Credit("t-1", ALICE, 50));
        assertEquals(0, kit.snapshot().stashed());
    }

    @Test
    void aWaitingTransferIsAppliedWhenACreditFromAnotherAccountBringsTheFunds() {
        ActorTestKit<Account, AccountMessage> kit = alice(0);
        Result<Account> deferred = kit.send(new Transfer("t-2", "carol", 30, 60_000)).thenDeferred();
        Result<Account> credited = kit.send(new Credit("t-1", "bob", 50), Ledger.account("bob"))
                .thenApplied()
                .thenState(new Account(true, 20, 0))
                .thenSent(Ledger.account("carol"), new Credit("t-2", ALICE, 30));
        assertEquals(Outcome.Kind.APPLIED, credited.outcomeOf(deferred.messageId()).orElseThrow().kind());
    }

    @Test
    void deferredTransfersAreRetriedOldestFirst() {
        ActorTestKit<Account, AccountMessage> kit = alice(0);
        Result<Account> first = kit.send(new Transfer("t-1", "bob", 50, 60_000)).thenDeferred();
        Result<Account> second = kit.send(new Transfer("t-2", "carol", 30, 60_000)).thenDeferred();
        assertEquals(2, second.snapshot().stashed());

        // 60 covers the first (50) but then not the second (30): the first goes, the second keeps waiting
        Result<Account> r = kit.send(new Deposit(60)).thenApplied().thenState(new Account(true, 10, 60));
        assertEquals(List.of(new Sent(Ledger.account("bob"), new Credit("t-1", ALICE, 50))), r.sent());
        assertEquals(Outcome.Kind.APPLIED, r.outcomeOf(first.messageId()).orElseThrow().kind());
        assertTrue(r.outcomeOf(second.messageId()).isEmpty());
        assertEquals(1, r.snapshot().stashed());

        kit.send(new Deposit(20)).thenApplied().thenState(new Account(true, 0, 80))
                .thenSent(Ledger.account("carol"), new Credit("t-2", ALICE, 30));
        assertEquals(0, kit.snapshot().stashed());
    }

    @Test
    void aDeferralExpiresAfterItsWaitOnAWake() {
        ActorTestKit<Account, AccountMessage> kit = alice(10);
        Result<Account> deferred = kit.send(new Transfer("t-1", "bob", 50, 60_000)).thenDeferred();

        kit.advanceTime(Duration.ofSeconds(59));
        Result<Account> early = kit.wake();
        assertTrue(early.outcomeOf(deferred.messageId()).isEmpty(), "expired early: " + early.outcomes());
        assertEquals(1, early.snapshot().stashed());

        kit.advanceTime(Duration.ofSeconds(1));
        Result<Account> expired = kit.wake().thenState(new Account(true, 10, 10)).thenSentNothing();
        Outcome o = expired.outcomeOf(deferred.messageId()).orElseThrow();
        assertEquals(Outcome.Kind.REJECTED, o.kind());
        assertEquals("deferral deadline passed", o.detail());
        assertEquals(0, expired.snapshot().stashed());
        assertEquals(1, expired.snapshot().rejected());
        assertEquals("deferral deadline passed", expired.snapshot().recentRejections().get(0).reason());

        // money arriving afterwards does not revive it
        kit.send(new Deposit(100)).thenApplied().thenState(new Account(true, 110, 110)).thenSentNothing();
    }

    @Test
    void aDeferralPastItsDeadlineExpiresBeforeTheNextMessageIsHandled() {
        ActorTestKit<Account, AccountMessage> kit = alice(0);
        Result<Account> deferred = kit.send(new Transfer("t-1", "bob", 50, 1_000)).thenDeferred();
        kit.advanceTime(Duration.ofSeconds(2));
        Result<Account> r = kit.send(new Deposit(100)).thenApplied().thenState(new Account(true, 100, 100))
                .thenSentNothing();
        Outcome o = r.outcomeOf(deferred.messageId()).orElseThrow();
        assertEquals(Outcome.Kind.REJECTED, o.kind());
        assertEquals("deferral deadline passed", o.detail());
    }

    @Test
    void theDeferralDeadlineIsTheEnqueueTimePlusTheWait() {
        ActorTestKit<Account, AccountMessage> kit = ActorTestKit.of(Ledger.ACCOUNT).key(ALICE);
        Effect<Account> effect = kit.decide(new Account(true, 10, 10), new Transfer("t-1", "bob", 50, 90_000));
        assertEquals(Effect.Kind.DEFER, effect.kind());
        assertEquals(kit.now().plusMillis(90_000), effect.deadline());
        assertTrue(effect.sends().isEmpty());
    }

    @Test
    void aCreditToAnOpenAccountAddsToTheBalanceButNotToDeposited() {
        ActorTestKit<Account, AccountMessage> kit = alice(10);
        kit.send(new Credit("t-9", "bob", 40), Ledger.account("bob")).thenApplied()
                .thenState(new Account(true, 50, 10)).thenSentNothing();
    }

    @Test
    void aCreditToAnAccountNotOpenIsRefusedAndRefundedToItsSender() {
        ActorTestKit<Account, AccountMessage> kit = ActorTestKit.of(Ledger.ACCOUNT).key("ghost");
        Result<Account> r = kit.send(new Credit("t-7", ALICE, 40), Ledger.account(ALICE))
                .thenRejected("account is not open; credit refunded")
                .thenState(Account.NEW)
                .thenSent(Ledger.account(ALICE), new Refund("t-7", 40));
        assertEquals(List.of(new Sent(Ledger.account(ALICE), new Refund("t-7", 40))), r.sent());
        assertEquals(1, r.snapshot().sent());
        assertEquals(1, r.snapshot().rejected());
    }

    @Test
    void aRefundGivesTheMoneyBackToTheSender() {
        ActorTestKit<Account, AccountMessage> kit = alice(100);
        kit.send(new Transfer("t-7", "ghost", 40, 0)).thenApplied().thenState(new Account(true, 60, 100))
                .thenSent(Ledger.account("ghost"), new Credit("t-7", ALICE, 40));
        kit.send(new Refund("t-7", 40), Ledger.account("ghost")).thenApplied()
                .thenState(new Account(true, 100, 100)).thenSentNothing();
    }

    @Test
    void aRefundCanFundAWaitingTransfer() {
        ActorTestKit<Account, AccountMessage> kit = alice(40);
        kit.send(new Transfer("t-7", "ghost", 40, 0)).thenApplied().thenState(new Account(true, 0, 40));
        Result<Account> waiting = kit.send(new Transfer("t-8", "bob", 30, 60_000)).thenDeferred();
        Result<Account> r = kit.send(new Refund("t-7", 40), Ledger.account("ghost")).thenApplied()
                .thenState(new Account(true, 10, 40))
                .thenSent(Ledger.account("bob"), new Credit("t-8", ALICE, 30));
        assertEquals(Outcome.Kind.APPLIED, r.outcomeOf(waiting.messageId()).orElseThrow().kind());
    }
}
