-- 024 sign-in throttling that an attacker cannot turn into a lockout (issue 13, item 11).
-- Failures are throttled per account *and* client with an exponential back-off; the clients an
-- account has signed in from before (a device cookie, or an IP address) are remembered here and
-- are only ever slowed by their own failures, so the owner keeps signing in while someone else
-- hammers the account. Like login_attempt this is sign-in infrastructure, read before any tenant
-- is known, so it has no tenant and no row-level security; the app role reaches it through
-- withSystem only.
create table sign_in_known_client (
  -- The normalised email of the account.
  account text not null,
  -- 'device:<sha-256 of the device cookie>' or 'ip:<address>'.
  client text not null,
  last_success_at timestamptz not null default now(),
  primary key (account, client)
);
create index sign_in_known_client_last_success on sign_in_known_client (last_success_at);
