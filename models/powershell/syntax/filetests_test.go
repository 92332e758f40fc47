package syntax

import "testing"

// fileTests is the one table of inputs both the parser and the printer are tested
// on: each input, the tree it parses to, and the canonical form the printer writes
// ("" when the input is already canonical). The printed form parses to the same
// tree again.
var fileTests = []struct {
	in      string
	printed string
	tree    string
}{
	{in: "Get-Mailbox", tree: `(script (pipe (cmd "Get-Mailbox")))`},
	{in: "", tree: `(script)`},
	{in: "  ;; \n ", printed: "", tree: `(script)`},
	{
		in:   `Get-Mailbox -Identity "Sales Department"`,
		tree: `(script (pipe (cmd "Get-Mailbox" (param Identity) (dq "Sales Department"))))`,
	},
	{
		// The seed's line: an en dash before InheritanceType.
		in:      `New-Mailbox -Shared -Name "Sales Department" -DisplayName "Sales Department" -Alias Sales | Set-Mailbox -GrantSendOnBehalfTo MarketingSG | Add-MailboxPermission -User MarketingSG -AccessRights FullAccess –InheritanceType All`,
		printed: `New-Mailbox -Shared -Name "Sales Department" -DisplayName "Sales Department" -Alias Sales | Set-Mailbox -GrantSendOnBehalfTo MarketingSG | Add-MailboxPermission -User MarketingSG -AccessRights FullAccess -InheritanceType All`,
		tree: `(script (pipe` +
			` (cmd "New-Mailbox" (param Shared) (param Name) (dq "Sales Department") (param DisplayName) (dq "Sales Department") (param Alias) (bare "Sales"))` +
			` (cmd "Set-Mailbox" (param GrantSendOnBehalfTo) (bare "MarketingSG"))` +
			` (cmd "Add-MailboxPermission" (param User) (bare "MarketingSG") (param AccessRights) (bare "FullAccess") (param InheritanceType) (bare "All"))))`,
	},
	{
		in:      "Get-Mailbox —Identity x ―ResultSize 10",
		printed: "Get-Mailbox -Identity x -ResultSize 10",
		tree:    `(script (pipe (cmd "Get-Mailbox" (param Identity) (bare "x") (param ResultSize) (num 10))))`,
	},
	{
		in:   "Set-Mailbox x -HiddenFromAddressListsEnabled:$false -Confirm:$true",
		tree: `(script (pipe (cmd "Set-Mailbox" (bare "x") (param HiddenFromAddressListsEnabled: (var false)) (param Confirm: (var true)))))`,
	},
	{
		in:      "Remove-Mailbox x -Confirm: $false",
		printed: "Remove-Mailbox x -Confirm:$false",
		tree:    `(script (pipe (cmd "Remove-Mailbox" (bare "x") (param Confirm: (var false)))))`,
	},
	{in: "Set-Mailbox x -Name:", tree: `(script (pipe (cmd "Set-Mailbox" (bare "x") (param Name:))))`},
	{
		in:   "Get-Mailbox sales@contoso.com $null",
		tree: `(script (pipe (cmd "Get-Mailbox" (bare "sales@contoso.com") (var null))))`,
	},
	{
		in:   `Set-Mailbox -DisplayName 'O''Brien' -Name ''`,
		tree: `(script (pipe (cmd "Set-Mailbox" (param DisplayName) (sq "O'Brien") (param Name) (sq ""))))`,
	},
	{
		in:      "Set-Mailbox -DisplayName \"a`tb `\"c`\" \"\"d\"\" `$x\"",
		printed: "Set-Mailbox -DisplayName \"a`tb `\"c`\" `\"d`\" `$x\"",
		tree:    `(script (pipe (cmd "Set-Mailbox" (param DisplayName) (dq "a\tb \"c\" \"d\" $x"))))`,
	},
	{
		in:      "Write-Thing \"`u{1F600}`n`0`q\"",
		printed: "Write-Thing \"\U0001F600`n`0q\"",
		tree:    `(script (pipe (cmd "Write-Thing" (dq "😀\n\x00q"))))`,
	},
	{
		in:      "Get-Mailbox “Sales Department” ‘it’’s’",
		printed: `Get-Mailbox "Sales Department" 'it’’s'`,
		tree:    `(script (pipe (cmd "Get-Mailbox" (dq "Sales Department") (sq "it’s"))))`,
	},
	{
		in:   "Get-Mailbox -ResultSize 10 -Skip -1 -Ratio 2.5 -Big 1e3",
		tree: `(script (pipe (cmd "Get-Mailbox" (param ResultSize) (num 10) (param Skip) (num -1) (param Ratio) (num 2.5) (param Big) (num 1e3))))`,
	},
	{
		in:   "Get-Mailbox -ResultSize Unlimited -Anr 2ndFloor",
		tree: `(script (pipe (cmd "Get-Mailbox" (param ResultSize) (bare "Unlimited") (param Anr) (bare "2ndFloor"))))`,
	},
	{
		in:      "Add-MailboxPermission x -AccessRights FullAccess,ReadPermission -User a , b,c",
		printed: "Add-MailboxPermission x -AccessRights FullAccess, ReadPermission -User a, b, c",
		tree: `(script (pipe (cmd "Add-MailboxPermission" (bare "x") (param AccessRights) (array (bare "FullAccess") (bare "ReadPermission"))` +
			` (param User) (array (bare "a") (bare "b") (bare "c")))))`,
	},
	{
		in:      "Set-Mailbox x -GrantSendOnBehalfTo:a,\n  b",
		printed: "Set-Mailbox x -GrantSendOnBehalfTo:a, b",
		tree:    `(script (pipe (cmd "Set-Mailbox" (bare "x") (param GrantSendOnBehalfTo: (array (bare "a") (bare "b"))))))`,
	},
	{
		in:      `Set-Mailbox x -GrantSendOnBehalfTo @{Add="a","b"; Remove="c"}`,
		printed: `Set-Mailbox x -GrantSendOnBehalfTo @{Add = "a", "b"; Remove = "c"}`,
		tree: `(script (pipe (cmd "Set-Mailbox" (bare "x") (param GrantSendOnBehalfTo)` +
			` (hash (entry (bare "Add") (pipe (array (dq "a") (dq "b")))) (entry (bare "Remove") (pipe (dq "c")))))))`,
	},
	{
		in:      "Set-Mailbox x -EmailAddresses @{\n  add = 'smtp:a@b.c'\n  'Remove' = 'x'; 1 = $true\n}",
		printed: "Set-Mailbox x -EmailAddresses @{add = 'smtp:a@b.c'; 'Remove' = 'x'; 1 = $true}",
		tree: `(script (pipe (cmd "Set-Mailbox" (bare "x") (param EmailAddresses)` +
			` (hash (entry (bare "add") (pipe (sq "smtp:a@b.c"))) (entry (sq "Remove") (pipe (sq "x"))) (entry (num 1) (pipe (var true)))))))`,
	},
	{
		// A bare word as a hashtable value is a command, as in PowerShell.
		in:      "Set-Mailbox x -GrantSendOnBehalfTo @{Add=MarketingSG}",
		printed: "Set-Mailbox x -GrantSendOnBehalfTo @{Add = MarketingSG}",
		tree:    `(script (pipe (cmd "Set-Mailbox" (bare "x") (param GrantSendOnBehalfTo) (hash (entry (bare "Add") (pipe (cmd "MarketingSG")))))))`,
	},
	{in: "Set-Thing @{} {}", tree: `(script (pipe (cmd "Set-Thing" (hash) (block))))`},
	{
		in:      `Get-Mailbox | Where-Object {$_.RecipientTypeDetails -eq "SharedMailbox"}`,
		printed: `Get-Mailbox | Where-Object { $_.RecipientTypeDetails -eq "SharedMailbox" }`,
		tree:    `(script (pipe (cmd "Get-Mailbox") (cmd "Where-Object" (block (pipe (-eq (member RecipientTypeDetails (var _)) (dq "SharedMailbox")))))))`,
	},
	{
		in: "Get-Mailbox | ? { $_.Alias -like 'sales*' -and $_.Name -notlike \"*test*\" -or $_.X -match '^a' }",
		tree: `(script (pipe (cmd "Get-Mailbox") (cmd "?" (block (pipe` +
			` (-or (-and (-like (member Alias (var _)) (sq "sales*")) (-notlike (member Name (var _)) (dq "*test*"))) (-match (member X (var _)) (sq "^a"))))))))`,
	},
	{
		in:      "Where-Object { ($_.A -gt 1) -or !($_.B -le 2) -xor -not $_.C -ne $null }",
		printed: "Where-Object { ($_.A -gt 1) -or -not ($_.B -le 2) -xor -not $_.C -ne $null }",
		tree: `(script (pipe (cmd "Where-Object" (block (pipe` +
			` (-xor (-or (paren (pipe (-gt (member A (var _)) (num 1)))) (-not (paren (pipe (-le (member B (var _)) (num 2))))))` +
			` (-ne (-not (member C (var _))) (var null))))))))`,
	},
	{
		in:      "Where-Object { $_.EmailAddresses -contains 'smtp:a@b.c' -and $_.Alias -in 'a','b' -and $_.N -lt -5 -and $_.M -ge 0.5 -and $_.Z -notmatch 'q' }",
		printed: "Where-Object { $_.EmailAddresses -contains 'smtp:a@b.c' -and $_.Alias -in 'a', 'b' -and $_.N -lt -5 -and $_.M -ge 0.5 -and $_.Z -notmatch 'q' }",
		tree: `(script (pipe (cmd "Where-Object" (block (pipe` +
			` (-and (-and (-and (-and (-contains (member EmailAddresses (var _)) (sq "smtp:a@b.c")) (-in (member Alias (var _)) (array (sq "a") (sq "b"))))` +
			` (-lt (member N (var _)) (num -5))) (-ge (member M (var _)) (num 0.5))) (-notmatch (member Z (var _)) (sq "q"))))))))`,
	},
	{
		in:      "Where-Object { $_.A -CEQ 'x' -and $_.B -ieq 'y' -and\n  $_.C –eq 'z' }",
		printed: "Where-Object { $_.A -ceq 'x' -and $_.B -eq 'y' -and $_.C -eq 'z' }",
		tree: `(script (pipe (cmd "Where-Object" (block (pipe` +
			` (-and (-and (-ceq (member A (var _)) (sq "x")) (-eq (member B (var _)) (sq "y"))) (-eq (member C (var _)) (sq "z"))))))))`,
	},
	{
		in:      "Where-Object {\n  $PSItem.Name.Length -gt 3\n}",
		printed: "Where-Object { $PSItem.Name.Length -gt 3 }",
		tree:    `(script (pipe (cmd "Where-Object" (block (pipe (-gt (member Length (member Name (var PSItem))) (num 3)))))))`,
	},
	{
		in:   "Get-Mailbox | Where-Object RecipientTypeDetails -eq SharedMailbox",
		tree: `(script (pipe (cmd "Get-Mailbox") (cmd "Where-Object" (bare "RecipientTypeDetails") (param eq) (bare "SharedMailbox"))))`,
	},
	{
		in:      "Get-Mailbox; Get-Recipient\nGet-User ;Get-Help Get-Mailbox",
		printed: "Get-Mailbox\nGet-Recipient\nGet-User\nGet-Help Get-Mailbox",
		tree:    `(script (pipe (cmd "Get-Mailbox")) (pipe (cmd "Get-Recipient")) (pipe (cmd "Get-User")) (pipe (cmd "Get-Help" (bare "Get-Mailbox"))))`,
	},
	{
		in:      "Get-Mailbox `\n  -Identity x `\r\n  -ResultSize 5\r\nGet-User",
		printed: "Get-Mailbox -Identity x -ResultSize 5\nGet-User",
		tree:    `(script (pipe (cmd "Get-Mailbox" (param Identity) (bare "x") (param ResultSize) (num 5))) (pipe (cmd "Get-User")))`,
	},
	{
		in:      "Get-Mailbox |\n  Select-Object Name, Alias -First 2 # the first two\n# done",
		printed: "Get-Mailbox | Select-Object Name, Alias -First 2",
		tree:    `(script (pipe (cmd "Get-Mailbox") (cmd "Select-Object" (array (bare "Name") (bare "Alias")) (param First) (num 2))))`,
	},
	{
		in:      "Get-Mailbox <# all of them\n #> -ResultSize Unlimited a#b",
		printed: "Get-Mailbox -ResultSize Unlimited a#b",
		tree:    `(script (pipe (cmd "Get-Mailbox" (param ResultSize) (bare "Unlimited") (bare "a#b"))))`,
	},
	{
		in:      "Set-Thing a\"b c\"d e`,f `-g `$h `#i",
		printed: "Set-Thing ab` cd e`,f `-g `$h `#i",
		tree:    `(script (pipe (cmd "Set-Thing" (bare "ab cd") (bare "e,f") (bare "-g") (bare "$h") (bare "#i"))))`,
	},
	{
		in:      "Set-Thing `5 - -- -=x `0",
		printed: "",
		tree:    `(script (pipe (cmd "Set-Thing" (bare "5") (bare "-") (bare "--") (bare "-=x") (bare "\x00"))))`,
	},
	{
		in:      `"alice","bob" | Get-Mailbox`,
		printed: `"alice", "bob" | Get-Mailbox`,
		tree:    `(script (pipe (array (dq "alice") (dq "bob")) (cmd "Get-Mailbox")))`,
	},
	{in: "$true", tree: `(script (pipe (var true)))`},
	{in: "1, 'two'", tree: `(script (pipe (array (num 1) (sq "two"))))`},
	{in: "-not $false", tree: `(script (pipe (-not (var false))))`},
	{
		in:   "Set-Mailbox y -ForwardingAddress (Get-Mailbox x).Alias -Flag ($true)",
		tree: `(script (pipe (cmd "Set-Mailbox" (bare "y") (param ForwardingAddress) (member Alias (paren (pipe (cmd "Get-Mailbox" (bare "x"))))) (param Flag) (paren (pipe (var true))))))`,
	},
	{
		in:      "Set-Mailbox y -GrantSendOnBehalfTo @('a', 'b'; Get-Mailbox z)",
		printed: "Set-Mailbox y -GrantSendOnBehalfTo @('a', 'b'; Get-Mailbox z)",
		tree:    `(script (pipe (cmd "Set-Mailbox" (bare "y") (param GrantSendOnBehalfTo) (sub (pipe (array (sq "a") (sq "b"))) (pipe (cmd "Get-Mailbox" (bare "z")))))))`,
	},
	{
		in:      `Get-Mailbox | Select-Object Name, @{Name="Count"; Expression={$_.EmailAddresses.Count}}`,
		printed: `Get-Mailbox | Select-Object Name, @{Name = "Count"; Expression = { $_.EmailAddresses.Count }}`,
		tree: `(script (pipe (cmd "Get-Mailbox") (cmd "Select-Object" (array (bare "Name")` +
			` (hash (entry (bare "Name") (pipe (dq "Count"))) (entry (bare "Expression") (pipe (block (pipe (member Count (member EmailAddresses (var _))))))))))))`,
	},
	{
		in:   "Get-Thing $env:USERNAME ${my var} $? $$",
		tree: `(script (pipe (cmd "Get-Thing" (var env:USERNAME) (var my var) (var ?) (var $))))`,
	},
	{
		in:   `Get-Mailbox -Filter "Name -like 'a*'"`,
		tree: `(script (pipe (cmd "Get-Mailbox" (param Filter) (dq "Name -like 'a*'"))))`,
	},
	{in: "Get-Help Get-Mailbox -?", tree: `(script (pipe (cmd "Get-Help" (bare "Get-Mailbox") (param ?))))`},
	{
		in:      "Get-Mailbox -Identity:'x' -Notes:\"y\"-Count:3",
		printed: "Get-Mailbox -Identity:'x' -Notes:\"y\" -Count:3",
		tree:    `(script (pipe (cmd "Get-Mailbox" (param Identity: (sq "x")) (param Notes: (dq "y")) (param Count: (num 3)))))`,
	},
	{
		in:      "Get-Mailbox x\u00a0y\tz",
		printed: "Get-Mailbox x y z",
		tree:    `(script (pipe (cmd "Get-Mailbox" (bare "x") (bare "y") (bare "z"))))`,
	},
}

func TestParseFileTests(t *testing.T) {
	for _, c := range fileTests {
		s, err := Parse(c.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.in, err)
			continue
		}
		if got := dump(s); got != c.tree {
			t.Errorf("Parse(%q)\n got %s\nwant %s", c.in, got, c.tree)
		}
		checkPositions(t, c.in, s)
	}
}

func TestPrintFileTests(t *testing.T) {
	for _, c := range fileTests {
		s, err := Parse(c.in)
		if err != nil {
			continue // reported by TestParseFileTests
		}
		want := c.printed
		if want == "" && c.in != "  ;; \n " {
			want = c.in
		}
		got := Print(s)
		if got != want {
			t.Errorf("Print(Parse(%q))\n got %q\nwant %q", c.in, got, want)
		}
		again, err := Parse(got)
		if err != nil {
			t.Errorf("Parse(Print(%q)) = %q: %v", c.in, got, err)
			continue
		}
		if dump(again) != c.tree {
			t.Errorf("Parse(Print(%q)) = %s, want %s", c.in, dump(again), c.tree)
		}
	}
}
