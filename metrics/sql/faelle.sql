-- Current case records with the flags the catalogue's case parts are written in.
-- A record belongs to the delivery of its month (monat); E = last day of that month.
SELECT
    kommune,
    monat,
    fallbeginn <= last_day(monat) AND (fallende IS NULL OR fallende > last_day(monat)) AS aktiv,
    fallbeginn BETWEEN monat AND last_day(monat) AS neu,
    coalesce(fallende BETWEEN monat AND last_day(monat), false) AS abgeschlossen,
    coalesce(fallende BETWEEN monat AND last_day(monat), false)
        AND coalesce(abschlussgrund, '') <> 'wegzug' AS abgeschlossen_ow,
    coalesce(erstkontakt BETWEEN monat AND last_day(monat), false) AS erstkontakt_im_monat,
    year(monat) - zuzugsjahr <= 5 AS zielgruppe,
    abschlussgrund,
    anfrage,
    erstkontakt,
    coalesce(ehrenamt, false) AS ehrenamt,
    coalesce(ergebnis_arbeit, false) AS ergebnis_arbeit,
    rechtskreise_beteiligt,
    uebergaben,
    uebergaben_erfolgreich,
    zugang,
    rechtskreis,
    altersgruppe,
    geschlecht,
    handlungsfelder
FROM v_fallmanagement
