-- The source of truth: users, posts, conversations and their members, messages.
-- Soft deletes (deleted_at) and edits (edited_at / updated_at) are what the CDC pipeline turns into events.

create table users (
  id           uuid primary key,
  username     text not null unique check (username ~ '^[A-Za-z0-9_.-]{1,64}$'),
  display_name text not null,
  created_at   timestamptz not null default now()
);

create table posts (
  id          uuid primary key,
  author_id   uuid not null references users (id),
  title       text not null default '',
  content     text not null,
  visibility  text not null default 'public' check (visibility in ('public', 'followers', 'private')),
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  deleted_at  timestamptz
);
create index posts_author_idx on posts (author_id, created_at desc);

create table conversations (
  id         uuid primary key,
  title      text not null default '',
  created_at timestamptz not null default now()
);

create table conversation_members (
  conversation_id uuid not null references conversations (id) on delete cascade,
  user_id         uuid not null references users (id) on delete cascade,
  joined_at       timestamptz not null default now(),
  primary key (conversation_id, user_id)
);
create index conversation_members_user_idx on conversation_members (user_id);

create table messages (
  id              uuid primary key,
  conversation_id uuid not null references conversations (id) on delete cascade,
  sender_id       uuid not null references users (id),
  content         text not null,
  created_at      timestamptz not null default now(),
  edited_at       timestamptz,
  deleted_at      timestamptz
);
create index messages_conversation_idx on messages (conversation_id, created_at desc);

-- Old row images in the WAL for every update and delete, so events carry the full row.
alter table messages replica identity full;
alter table posts replica identity full;
