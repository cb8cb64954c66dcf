-- dala-ota server schema. Every row an admin can reach hangs off an organisation, so every
-- admin query can be scoped by organisation_id.

create table organisation (
  id          uuid primary key,
  slug        text not null unique,
  name        text not null,
  created_at  timestamptz not null default now()
);

-- API tokens: only the SHA-256 of the token is stored; the prefix helps people tell them apart.
create table api_token (
  id              uuid primary key,
  organisation_id uuid not null references organisation (id),
  name            text not null,
  role            text not null check (role in ('admin', 'publisher', 'viewer')),
  token_hash      bytea not null unique,
  token_prefix    text not null,
  created_at      timestamptz not null default now(),
  last_used_at    timestamptz,
  revoked_at      timestamptz
);
create index api_token_org on api_token (organisation_id);

create table app (
  id              uuid primary key,
  organisation_id uuid not null references organisation (id),
  name            text not null,
  last_sequence   bigint not null default 0,
  created_at      timestamptz not null default now(),
  unique (organisation_id, name)
);

-- Devices find their channel by its key, which the base build embeds.
create table channel (
  id          uuid primary key,
  app_id      uuid not null references app (id),
  name        text not null,
  channel_key text not null unique,
  created_at  timestamptz not null default now(),
  unique (app_id, name)
);

-- A native base build that devices run, as release-tooling fingerprints it.
create table base_release (
  id              uuid primary key,
  app_id          uuid not null references app (id),
  platform        text not null,
  otp_release     text not null,
  erts_version    text not null,
  elixir_version  text not null,
  static_nifs     text[] not null,
  module_md5s     jsonb not null,
  fingerprint     text not null,
  created_at      timestamptz not null default now(),
  unique (app_id, fingerprint)
);

-- Module binaries, stored once by content hash whatever release uses them.
create table module_blob (
  sha256      text primary key,
  size        bigint not null,
  beam_md5    text not null,
  module_name text not null,
  storage_key text not null,
  created_at  timestamptz not null default now()
);

create table release (
  id                 uuid primary key,
  app_id             uuid not null references app (id),
  sequence           bigint not null,
  label              text not null,
  kind               text not null check (kind in ('publish', 'rollback')),
  content_hash       text not null,
  apply_mode         text not null,
  min_agent_version  text not null,
  envelope           bytea not null,
  bundle_key         text not null,
  bundle_sha256      text not null,
  bundle_size        bigint not null,
  expires_at         timestamptz not null,
  republished_from   uuid references release (id),
  created_by         text not null,
  created_at         timestamptz not null default now(),
  unique (app_id, sequence)
);
-- Publishing the same content twice returns the first release; rollbacks may repeat content.
create unique index release_publish_idempotency on release (app_id, content_hash) where kind = 'publish';

create table release_module (
  release_id  uuid not null references release (id),
  name        text not null,
  sha256      text not null references module_blob (sha256),
  primary key (release_id, name)
);

create table release_base (
  release_id      uuid not null references release (id),
  base_release_id uuid not null references base_release (id),
  primary key (release_id, base_release_id)
);

-- A release on a channel with its rollout. At most one deployment per channel is live.
create table deployment (
  id                       uuid primary key,
  app_id                   uuid not null references app (id),
  channel_id               uuid not null references channel (id),
  release_id               uuid not null references release (id),
  state                    text not null check (state in ('active', 'paused', 'halted', 'superseded')),
  rollout_percent          integer not null check (rollout_percent between 0 and 100),
  waves                    jsonb not null,
  current_wave             integer not null default 0,
  failure_threshold_count  integer not null,
  failure_threshold_rate   double precision not null,
  failure_min_sample       integer not null,
  mandatory                boolean not null,
  apply_mode               text not null,
  halted_reason            text,
  wave_started_at          timestamptz not null default now(),
  created_at               timestamptz not null default now(),
  updated_at               timestamptz not null default now()
);
create unique index deployment_live_per_channel on deployment (channel_id) where state in ('active', 'paused', 'halted');
create index deployment_app on deployment (app_id);

create table device (
  id                uuid primary key,
  app_id            uuid not null references app (id),
  install_id        text not null,
  channel_id        uuid not null references channel (id),
  platform          text not null,
  base_fingerprint  text not null,
  otp_release       text not null,
  current_sequence  bigint not null,
  agent_version     text not null,
  tags              text[] not null default '{}',
  first_seen        timestamptz not null default now(),
  last_seen         timestamptz not null default now(),
  unique (app_id, install_id)
);

create table install_event (
  id             bigserial primary key,
  app_id         uuid not null references app (id),
  device_id      uuid not null references device (id),
  release_id     uuid not null references release (id),
  deployment_id  uuid references deployment (id),
  wave           integer,
  kind           text not null check (kind in ('offered', 'downloaded', 'applied', 'confirmed', 'failed', 'rolled_back')),
  reason         text,
  bytes          bigint,
  created_at     timestamptz not null default now()
);
create index install_event_deployment on install_event (deployment_id, wave, kind);
create index install_event_device on install_event (device_id, created_at);
create unique index install_event_once on install_event (device_id, release_id, kind)
  where kind in ('offered', 'confirmed');

create table audit_entry (
  id              bigserial primary key,
  organisation_id uuid not null references organisation (id),
  actor           text not null,
  action          text not null,
  target_type     text not null,
  target_id       text not null,
  before_state    jsonb,
  after_state     jsonb,
  created_at      timestamptz not null default now()
);
create index audit_entry_org on audit_entry (organisation_id, id desc);
