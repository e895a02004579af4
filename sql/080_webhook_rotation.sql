-- hearsay 080: rotating a webhook's signing secret (issue 4's webhooks),
-- "hearsay-admin webhook rotate ID [--grace HOURS]".  Re-runnable.
--
-- Rotation gives the webhook a new key_nonce (so a new secret) and keeps
-- the old one until old_key_until.  Until then every request carries
-- two signatures, "t=T,v1=NEW,v1=OLD", so a receiver can move to the new
-- secret when it likes and nothing fails in between.  --grace 0 ends the
-- old secret at once (it leaked).
ALTER TABLE webhooks
	ADD COLUMN IF NOT EXISTS old_key_nonce CHAR(32) CHARACTER SET ascii
	    COLLATE ascii_bin NULL,
	ADD COLUMN IF NOT EXISTS old_key_until DATETIME(3) NULL;
