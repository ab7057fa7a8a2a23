## Administration and dashboard

## Administration
admin-title = Administration
admin-intro = Keep the accounts, the organisations and the harvesting of peer nodes in order.
admin-accounts-title = Accounts
admin-accounts-count = { $count ->
    [one] one account
   *[other] { $count } accounts
}
admin-organisations-title = Organisations
admin-organisations-count = { $count ->
    [one] one organisation
   *[other] { $count } organisations
}
admin-harvest-title = Harvesting
admin-harvest-count = { $count ->
    [one] one peer
   *[other] { $count } peers
}
admin-harvest-failing = { $count ->
    [one] one failing
   *[other] { $count } failing
}
admin-save = Save changes
admin-none = (none)
admin-choose = Choose…
admin-notice-created = Created.
admin-notice-saved = Changes saved.
admin-conflict = Someone else changed this record while you were editing it. The form now shows the current version; make your change again.

## Accounts
admin-account-new = New account
admin-account-create = Create account
admin-account-disabled = Disabled
admin-account-disabled-hint = A disabled account can no longer sign in; its cases stay.
admin-account-self-hint = This is your own account: you cannot disable it or give up your administrator role.
admin-account-password = Initial password
admin-account-password-hint = At least 10 characters. Give it to the person privately; they can change it on their account page.
admin-account-email-invalid = Enter an e-mail address such as name@agency.go.id.
admin-account-email-taken = An account with this e-mail address already exists.
admin-account-password-short = The password needs at least 10 characters.
admin-account-organisation-unknown = Choose an organisation from the list.
admin-account-role-unknown = Choose a role from the list.
admin-account-self = You cannot disable your own account or give up your own administrator role.

## Organisations
admin-org-new = New organisation
admin-org-create = Add organisation
admin-org-edit = Edit organisation
admin-org-public-page = See the public page
admin-org-id = Identifier
admin-org-id-hint = A short name for the address: lower-case letters, digits and hyphens, e.g. kemenpan-rb. It cannot be changed later.
admin-org-name-en = Name in English
admin-org-name-id = Name in Bahasa Indonesia
admin-org-acronym = Acronym
admin-org-id-invalid = Use 2–64 lower-case letters, digits and hyphens.
admin-org-id-taken = An organisation with this identifier already exists.
admin-org-name-required = Give a name in at least one language.
admin-org-type-required = Choose the type of organisation.
admin-org-parent-unknown = There is no organisation with that identifier.
admin-org-parent-cycle = This organisation cannot be part of that one: the parent would end up inside itself.
admin-org-website-invalid = Enter a web address starting with http:// or https://.

## Harvesting
admin-harvest-intro = How the last harvest of each peer node went. Harvesting runs in the background; a failing peer is retried with a growing pause.
admin-harvest-empty = No peer has been harvested yet.
admin-harvest-source = Peer
admin-harvest-from = Records up to
admin-harvest-last-success = Last success
admin-harvest-last-attempt = Last attempt
admin-harvest-last-error = Last error
admin-harvest-never = Never
admin-harvest-ok = None
admin-harvest-seen = Records seen
admin-harvest-created = New
admin-harvest-updated = Updated
admin-harvest-withdrawn = Withdrawn
admin-harvest-rejected = Rejected

## Dashboard
dashboard-title = Dashboard
dashboard-intro = { $count ->
    [one] One published case, counted by country, sector, year, stage and level of government.
   *[other] { $count } published cases, counted by country, sector, year, stage and level of government.
}
dashboard-note = A case can count in several sectors. Cases without a value are left out of that chart.
dashboard-empty = No cases have been published yet.
dashboard-chart-country = Published cases by country
dashboard-chart-sector = Published cases by sector
dashboard-chart-year = Published cases by year launched
dashboard-chart-stage = Published cases by lifecycle stage
dashboard-chart-level = Published cases by level of government
dashboard-chart-summary = { $title }. Largest: { $top }, { $count } cases.
dashboard-table = Show the numbers as a table
dashboard-csv = Download as CSV
dashboard-other = Other
dashboard-code = Code
dashboard-cases = Cases
dashboard-no-data = No published case has a value here yet.
admin-harvest-peers = Configured peers
admin-harvest-no-peers = No peers are configured ([[peers]] in the node's configuration file).
admin-harvest-set = Set
admin-harvest-schedule = Schedule
admin-harvest-all-sets = All published records
admin-harvest-manual = Only from the command line (lumbung harvest --peer)
admin-harvest-every = { $minutes ->
    [one] Every minute
   *[other] Every { $minutes } minutes
}
admin-harvest-state = Last harvests
field-delegation = Delegation (country)
admin-account-delegation-hint = Delegates only: the country whose delegation this account acts for. A delegate submits, edits and nominates that country's cases only.
admin-account-delegation-required = A delegate represents a country: choose it.
admin-account-delegation-not-delegate = Only a delegate has a delegation.
admin-account-delegation-unknown = Choose a country from the list.
