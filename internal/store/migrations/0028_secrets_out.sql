-- Secrets are derived from the master key kept outside the database
-- (internal/keys) and no longer stored here: remove the ones generated
-- before. QR sheets printed under the old secret are to be printed again
-- (or signed with an explicit --qr-secret).
DELETE FROM settings WHERE name IN ('qr', 'web_form', 'follow_csrf', 'client_mark');
