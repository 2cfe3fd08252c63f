-- depends: 0001_ledger
-- ClickPesa's webhooks as received (raw body and what was read from it), and the shop's
-- sequence of notices fanned out to the tills over Server-Sent Events.

CREATE TABLE webhooks (
    id              bigserial PRIMARY KEY,
    received_at     timestamptz NOT NULL DEFAULT now(),
    -- ClickPesa sends no event id: (event, orderReference, status) names a delivery
    dedup_key       text NOT NULL UNIQUE,
    event           text NOT NULL,
    order_reference text NOT NULL,
    status          text NOT NULL,
    payment_id      text NOT NULL DEFAULT '',
    amount          text NOT NULL DEFAULT '',
    channel         text NOT NULL DEFAULT '',
    raw_body        text NOT NULL,
    parsed          jsonb NOT NULL,
    deliveries      integer NOT NULL DEFAULT 1
);
CREATE INDEX webhooks_ref ON webhooks (order_reference);

CREATE TABLE notices (
    seq             bigserial PRIMARY KEY,   -- the SSE id a till resumes from (Last-Event-ID)
    webhook_id      bigint NOT NULL REFERENCES webhooks (id),
    order_reference text NOT NULL,
    event           text NOT NULL,
    status          text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notices_created ON notices (created_at);
