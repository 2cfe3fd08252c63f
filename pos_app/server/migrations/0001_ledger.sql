-- The shop ledger: tills, owners, the attempts every till journals and each event it sent.
-- depends:

CREATE TABLE shop_settings (
    key   text PRIMARY KEY,
    value text NOT NULL
);
INSERT INTO shop_settings (key, value) VALUES
    ('timezone', 'Africa/Dar_es_Salaam'),
    ('kyc_verified', 'no'),
    ('daily_call_cap', '100');

CREATE TABLE tills (
    id              bigserial PRIMARY KEY,
    name            text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 40),
    -- argon2 hash of the one-time enrolment code; NULL once it was exchanged
    code_hash       text,
    code_expires_at timestamptz,
    -- SHA-256 (hex) of the till's 256-bit random secret; NULL until it joins
    secret_hash     text UNIQUE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    joined_at       timestamptz,
    revoked_at      timestamptz,
    last_seen_at    timestamptz
);

CREATE TABLE owners (
    id            bigserial PRIMARY KEY,
    email         text NOT NULL UNIQUE CHECK (email = lower(email)),
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
    token_hash text PRIMARY KEY,          -- SHA-256 of the cookie's random value
    owner_id   bigint NOT NULL REFERENCES owners (id) ON DELETE CASCADE,
    csrf_token text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);

CREATE TABLE login_failures (
    id    bigserial PRIMARY KEY,
    email text NOT NULL,
    ip    text NOT NULL,
    at    timestamptz NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, at);
CREATE INDEX login_failures_ip ON login_failures (ip, at);

CREATE TABLE attempts (
    order_reference   text PRIMARY KEY,
    till_id           bigint NOT NULL REFERENCES tills (id),
    mode              text NOT NULL CHECK (mode IN ('live', 'training')),
    phone             text NOT NULL,
    amount_tzs        bigint NOT NULL CHECK (amount_tzs > 0),
    network_hint      text NOT NULL DEFAULT '',
    state             text NOT NULL,
    channel           text NOT NULL DEFAULT '',
    clickpesa_id      text NOT NULL DEFAULT '',
    message           text NOT NULL DEFAULT '',
    payment_reference text NOT NULL DEFAULT '',
    created_at        timestamptz NOT NULL,
    created_at_text   text NOT NULL,      -- as the till wrote it, with its offset
    updated_at        timestamptz NOT NULL,
    updated_at_text   text NOT NULL,
    last_seq          integer NOT NULL,   -- the last event applied (or flagged) in order
    flagged           integer NOT NULL DEFAULT 0
);
CREATE INDEX attempts_created ON attempts (created_at);
CREATE INDEX attempts_state ON attempts (state);
CREATE INDEX attempts_till ON attempts (till_id, created_at);

-- Every event a till sent, exactly once (event_id = reference:sequence).
-- status: applied | flagged (would move the state backwards: stored, never applied)
--       | waiting (an earlier event of its attempt has not arrived yet)
CREATE TABLE events (
    event_id        text PRIMARY KEY,
    till_id         bigint NOT NULL REFERENCES tills (id),
    order_reference text NOT NULL,
    seq             integer NOT NULL CHECK (seq >= 0),
    from_state      text,
    to_state        text NOT NULL,
    at              timestamptz NOT NULL,
    detail          text NOT NULL DEFAULT '',
    snapshot        jsonb NOT NULL,
    status          text NOT NULL DEFAULT 'waiting',
    flag            text NOT NULL DEFAULT '',
    received_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (order_reference, seq)
);
CREATE INDEX events_waiting ON events (order_reference, seq) WHERE status = 'waiting';
CREATE INDEX events_flagged ON events (received_at) WHERE status = 'flagged';

-- ClickPesa calls each till reports for a day (the pre-KYC cap counts all of them).
CREATE TABLE api_usage (
    till_id bigint NOT NULL REFERENCES tills (id),
    day     date NOT NULL,
    calls   integer NOT NULL CHECK (calls >= 0),
    PRIMARY KEY (till_id, day)
);
