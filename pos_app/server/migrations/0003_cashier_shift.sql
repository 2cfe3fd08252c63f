-- depends: 0002_webhooks
-- Who was at the till and in which shift (journal version 3 of close-the-day), so the
-- shop's day report can show paid by cashier as the till's own does.
ALTER TABLE attempts ADD COLUMN cashier text NOT NULL DEFAULT '';
ALTER TABLE attempts ADD COLUMN shift text NOT NULL DEFAULT '';
