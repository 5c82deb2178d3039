-- btree_gist lets exclusion constraints combine equality on ids with range overlap
-- (no double booking of a staff member or resource). Extensions are database-wide.
CREATE EXTENSION IF NOT EXISTS btree_gist;
