-- Where each session signed in from (the client address after TRUSTED_PROXIES), shown in the owner's list of
-- sessions. Sessions from before this migration have none.
ALTER TABLE sessions ADD COLUMN client_address text NOT NULL DEFAULT '';
