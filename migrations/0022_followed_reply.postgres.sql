-- Issue 14. -- A new kind of notification: a reply in a topic the member follows.
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
    CHECK (kind IN ('reply', 'mention', 'quote', 'join_answered', 'followed_reply'));
