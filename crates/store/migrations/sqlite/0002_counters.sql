-- Daily counters per unit and indicator, kept in the same transaction as
-- each act, so a report sums counters instead of scanning registers.
-- Keyed by day first: a report reads one period for every unit.
CREATE TABLE counters_day (
    day       TEXT NOT NULL,
    unit      TEXT NOT NULL,
    indicator TEXT NOT NULL,
    value     INTEGER NOT NULL,
    PRIMARY KEY (day, unit, indicator)
) WITHOUT ROWID;

-- The same, summed by calendar month ('YYYY-MM'), so a quarter reads three
-- cells per unit and indicator instead of ninety.
CREATE TABLE counters_month (
    month     TEXT NOT NULL,
    unit      TEXT NOT NULL,
    indicator TEXT NOT NULL,
    value     INTEGER NOT NULL,
    PRIMARY KEY (month, unit, indicator)
) WITHOUT ROWID;
