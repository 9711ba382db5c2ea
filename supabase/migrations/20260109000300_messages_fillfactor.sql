-- An outbound message is updated three or four times within seconds of its insert (the send attempt,
-- Meta's answer, delivered, read). With full pages every new row version lands on another page and adds
-- an entry to each of the table's indexes; with room left on the page it stays there (a HOT update) and
-- touches no index. 30 % free space per page costs the inbox a somewhat larger table to read and saves
-- most index writes, and their WAL, on every status. New pages only: existing ones keep their layout.
alter table public.messages set (fillfactor = 70);
