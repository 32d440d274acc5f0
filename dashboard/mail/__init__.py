"""E-mail from the dashboard: the programmamanager's weekly digest and the trekkers' reminders
before a quarter's deadline (`python -m dashboard.mail digest|herinnering|controleer`), sent through
the gemeente's SMTP server. Composes the KPI engine (the signalen, as the overview shows them) and
the programme's read model (the reporting cycle, as /beheer shows it); no data of any jeugdige."""
