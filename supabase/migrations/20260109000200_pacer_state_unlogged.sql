-- The pacers' moving state is written on every send (the number's next send slot, the customer's pair
-- credit) and is worthless a few seconds later: it need not be in the WAL. An unlogged table is emptied
-- if the database crashes, which costs at most a number starting again at its full rate (Meta's 130429
-- still slows it) and a customer's pair credit refilled a few seconds early. The messaging-limit window
-- (engine.unique_members, 24 hours) and the breakers stay logged: forgetting those would matter.
alter table engine.rate_states set unlogged;
alter table engine.pair_credits set unlogged;
