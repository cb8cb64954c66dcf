-- Delivery sessions over Erlang distribution (docs/protocol.md). A row is created by the
-- check-in that offers an update, found by the device node name in the handshake, claimed once
-- by the pod whose handshake succeeds, and finished by that pod. The cookie is stored only
-- encrypted, and only until the session is claimed or expires.
create table dist_session (
  id                bytea primary key check (length(id) = 16),
  device_node       text not null unique,
  app_id            uuid not null references app (id),
  channel_id        uuid not null references channel (id),
  release_id        uuid not null references release (id),
  deployment_id     uuid references deployment (id),
  install_id        text not null,
  sequence          bigint not null,
  cookie_ciphertext bytea,
  state             text not null check (state in ('open', 'connected', 'applied', 'staged', 'failed',
                                                   'aborted', 'expired')),
  created_at        timestamptz not null,
  expires_at        timestamptz not null,
  connected_at      timestamptz,
  finished_at       timestamptz,
  modules_sent      integer not null default 0,
  bytes_sent        bigint not null default 0,
  reason            text,
  check ((state = 'open') = (cookie_ciphertext is not null))
);

create index dist_session_open_expiry on dist_session (expires_at) where state = 'open';
create index dist_session_created on dist_session (created_at);
