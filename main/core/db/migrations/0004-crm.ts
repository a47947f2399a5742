import type { Db } from '../open';

/**
 * Version 4: the member CRM. People (members and contacts in their circles)
 * in one table; relationships between them; the vouchers the workstation
 * issued for referrals; and the CRM's own append-only event log (the voucher
 * ledger `events` keeps its own CHECK on type).
 */
export const name = 'member crm';

export function up(db: Db): void {
  db.exec(`
    CREATE TABLE crm_people (
      rowid        INTEGER PRIMARY KEY,
      id           TEXT NOT NULL UNIQUE,
      name         TEXT NOT NULL DEFAULT '',
      name_key     TEXT NOT NULL DEFAULT '',
      phone        TEXT,
      phone_norm   TEXT,
      email        TEXT,
      email_norm   TEXT,
      handles      TEXT NOT NULL DEFAULT '{}',
      birthday     TEXT,
      tags         TEXT NOT NULL DEFAULT '[]',
      notes        TEXT NOT NULL DEFAULT '',
      consent      INTEGER NOT NULL DEFAULT 0,
      consent_at   INTEGER,
      consent_how  TEXT NOT NULL DEFAULT '',
      member_since INTEGER,
      merged_into  TEXT,
      erased_at    INTEGER,
      visits       INTEGER NOT NULL DEFAULT 0,
      spend        INTEGER NOT NULL DEFAULT 0,
      last_visit   INTEGER,
      created_at   INTEGER NOT NULL,
      updated_at   INTEGER NOT NULL
    );
    CREATE INDEX crm_people_name ON crm_people(name_key) WHERE merged_into IS NULL;
    CREATE INDEX crm_people_phone ON crm_people(phone_norm) WHERE phone_norm IS NOT NULL;
    CREATE INDEX crm_people_email ON crm_people(email_norm) WHERE email_norm IS NOT NULL;
    CREATE INDEX crm_people_last ON crm_people(last_visit);
    CREATE INDEX crm_people_merged ON crm_people(merged_into) WHERE merged_into IS NOT NULL;

    -- Substring search (names in any script, partial phones, e-mail) with trigrams.
    CREATE VIRTUAL TABLE crm_search USING fts5(body, content='', contentless_delete=1, tokenize='trigram');
    CREATE TRIGGER crm_people_ins AFTER INSERT ON crm_people BEGIN
      INSERT INTO crm_search(rowid, body) VALUES (new.rowid, new.name_key || ' ' || coalesce(new.phone_norm, '') || ' ' || coalesce(new.email_norm, ''));
    END;
    CREATE TRIGGER crm_people_upd AFTER UPDATE OF name_key, phone_norm, email_norm ON crm_people BEGIN
      DELETE FROM crm_search WHERE rowid = old.rowid;
      INSERT INTO crm_search(rowid, body) VALUES (new.rowid, new.name_key || ' ' || coalesce(new.phone_norm, '') || ' ' || coalesce(new.email_norm, ''));
    END;
    CREATE TRIGGER crm_people_del AFTER DELETE ON crm_people BEGIN
      DELETE FROM crm_search WHERE rowid = old.rowid;
    END;

    -- Voucher holder ids (sub/ref) that are a person, beyond their own id.
    CREATE TABLE crm_holders (
      holder TEXT PRIMARY KEY,
      person TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX crm_holders_person ON crm_holders(person);

    -- a -> b: "a is b's friend", "a was referred by b", "a shared a voucher with b".
    CREATE TABLE crm_links (
      id         TEXT PRIMARY KEY,
      a          TEXT NOT NULL,
      b          TEXT NOT NULL,
      kind       TEXT NOT NULL CHECK (kind IN ('friend', 'family', 'colleague', 'referred_by', 'shared')),
      created_at INTEGER NOT NULL,
      CHECK (a != b),
      UNIQUE (a, b, kind)
    ) WITHOUT ROWID;
    CREATE INDEX crm_links_b ON crm_links(b);

    -- Vouchers this workstation issued (iss merchant:<id>): welcome vouchers for
    -- people in a member's circle, and the members' rewards.
    CREATE TABLE crm_vouchers (
      jti            TEXT PRIMARY KEY,
      iss            TEXT NOT NULL,
      purpose        TEXT NOT NULL CHECK (purpose IN ('welcome', 'reward')),
      person         TEXT NOT NULL,
      referrer       TEXT,
      phone_norm     TEXT,
      email_norm     TEXT,
      token          TEXT NOT NULL,
      terms          TEXT NOT NULL,
      issued_at      INTEGER NOT NULL,
      exp            INTEGER,
      given_at       INTEGER,
      redeemed_event TEXT,
      redeemed_at    INTEGER,
      counted        INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID;
    -- The same person never gets two welcome vouchers (by person, phone or e-mail).
    CREATE UNIQUE INDEX crm_welcome_person ON crm_vouchers(person) WHERE purpose = 'welcome';
    CREATE UNIQUE INDEX crm_welcome_phone ON crm_vouchers(phone_norm) WHERE purpose = 'welcome' AND phone_norm IS NOT NULL;
    CREATE UNIQUE INDEX crm_welcome_email ON crm_vouchers(email_norm) WHERE purpose = 'welcome' AND email_norm IS NOT NULL;
    CREATE INDEX crm_vouchers_referrer ON crm_vouchers(referrer);
    CREATE INDEX crm_vouchers_person ON crm_vouchers(person);

    -- The CRM's append-only log: every step, with a ULID, for sync and audit.
    -- It never holds personal details (names, phones): only ids.
    CREATE TABLE crm_events (
      seq    INTEGER PRIMARY KEY,
      id     TEXT NOT NULL UNIQUE,
      type   TEXT NOT NULL CHECK (type IN ('member.added', 'member.updated', 'member.merged', 'member.erased', 'link.added',
               'link.removed', 'redemption.attached', 'welcome.issued', 'welcome.redeemed', 'reward.issued', 'voucher.given', 'crm.restored')),
      person TEXT,
      other  TEXT,
      jti    TEXT,
      event  TEXT,
      at     INTEGER NOT NULL,
      device TEXT NOT NULL,
      data   TEXT,
      synced INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX crm_events_person ON crm_events(person);

    CREATE INDEX IF NOT EXISTS events_member ON events(member) WHERE member IS NOT NULL;
  `);
}
