-- Clerk's two metadata objects on every organization (issue 23): public (the backend writes, members read) and
-- private (backend only). Each a JSON object of at most 8 KB, checked by the service; the CHECKs keep any other
-- writer from storing an array or a scalar, as V22 does for users.
ALTER TABLE organizations
    ADD COLUMN public_metadata  jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(public_metadata) = 'object'),
    ADD COLUMN private_metadata jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(private_metadata) = 'object');
