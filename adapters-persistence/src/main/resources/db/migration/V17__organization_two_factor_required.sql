-- An organization can require two-factor sign-in (issue 22 part 2): then a member without an enabled TOTP factor
-- cannot act in it (the session read checks it on every request). Off for every existing organization.
ALTER TABLE organizations ADD COLUMN two_factor_required boolean NOT NULL DEFAULT false;
