package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/contoso/admincenter/handlers/adminapi/exoclient"
	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/models/powershell"
	"github.com/contoso/admincenter/models/powershell/exchange"
	"github.com/contoso/admincenter/models/powershell/syntax"
)

// errCmdletFailed ends the program with status 1 after a cmdlet's error was shown.
var errCmdletFailed = errors.New("a command failed")

// maxScript bounds a script read from stdin.
const maxScript = 16 << 20

// powershellCmd is `admincenter powershell --db DB --as ADMIN ['command']` or
// `admincenter powershell --url URL --token TOKEN ['command']`: one command, a
// script from stdin, or an interactive prompt with history when stdin is a
// terminal. With --db, cmdlets run for the admin --as names, with their roles, and
// are audited as PowerShell with the command; with --url, the Exchange cmdlets run
// on the server's REST endpoint for the token's app (powershell_remote.go).
func powershellCmd(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("powershell", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	db := fs.String("db", envOr(getenv, "ADMINCENTER_DB", "admincenter.db"), "SQLite database file or postgres:// URL")
	as := fs.String("as", "", "the admin's email address")
	remote := fs.String("url", "", "the server whose Exchange REST endpoint runs the cmdlets")
	token := fs.String("token", getenv("ADMINCENTER_TOKEN"), "an Exchange access token of an app (with --url)")
	width := fs.Int("width", 0, "console width for tables and lists (default: the terminal's, or 120)")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w\n%s", err, usage)
	}
	var eng *powershell.Engine
	var actor any
	var who string
	if *remote != "" {
		if *token == "" {
			return errors.New("powershell: --url needs --token (an app's Exchange token, or ADMINCENTER_TOKEN)")
		}
		client, err := exoclient.New(*remote, *token)
		if err != nil {
			return fmt.Errorf("powershell: %w", err)
		}
		eng, who = powershell.New(remoteRegistry(client)), client.Endpoint
	} else {
		if *as == "" {
			return errors.New("powershell: --as names the admin to run cmdlets as, e.g. --as admin@contoso.com (or --url URL --token TOKEN)")
		}
		if !models.IsPostgresDSN(*db) {
			if _, err := os.Stat(*db); err != nil {
				return fmt.Errorf("powershell: no database at %s", *db)
			}
		}
		store, err := models.Open(ctx, *db)
		if err != nil {
			return err
		}
		defer store.Close()
		admin, err := cliAdmin(ctx, store, *as)
		if err != nil {
			return err
		}
		eng, actor, who = powershell.New(exchange.NewRegistry(store)), admin, admin.Username
	}
	eng.Width = *width
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) && fs.NArg() == 0 {
		return interactiveShell(ctx, eng, actor, who, f, stdout)
	}
	if eng.Width == 0 {
		eng.Width = terminalWidth(stdout)
	}
	text := strings.Join(fs.Args(), " ")
	if fs.NArg() == 0 {
		b, err := io.ReadAll(io.LimitReader(stdin, maxScript+1))
		if err != nil {
			return fmt.Errorf("powershell: read the script: %w", err)
		}
		if len(b) > maxScript {
			return fmt.Errorf("powershell: the script is longer than %d bytes", maxScript)
		}
		text = string(b)
	}
	res := eng.Run(ctx, actor, text)
	printResult(res, stdout, stderr, isTerminal(stdout), isTerminal(stderr))
	if res.Failed() {
		return errCmdletFailed
	}
	return nil
}

// cliAdmin loads the admin --as names; they need an admin role and a sign-in that
// is not blocked, as in the admin center.
func cliAdmin(ctx context.Context, store *models.Store, address string) (*models.Admin, error) {
	id, err := store.UserIDByAddress(ctx, address)
	if errors.Is(err, models.ErrNotFound) {
		return nil, fmt.Errorf("powershell: no person has the address %s", address)
	}
	if err != nil {
		return nil, err
	}
	admin, err := store.AdminByUserID(ctx, id)
	if errors.Is(err, models.ErrNotFound) {
		return nil, fmt.Errorf("powershell: no person has the address %s", address)
	}
	if err != nil {
		return nil, err
	}
	if len(admin.Roles) == 0 {
		return nil, fmt.Errorf("powershell: %s holds no admin role (or their sign-in is blocked)", address)
	}
	return admin, nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func terminalWidth(w io.Writer) int {
	if f, ok := w.(*os.File); ok {
		if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 0 {
			return cols
		}
	}
	return 120
}

// ANSI colours for a terminal, as PowerShell's console shows errors and warnings.
const (
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiReset  = "\x1b[0m"
)

// printResult writes a run's records in order: errors to stderr (red on a
// terminal), the rest to stdout (warnings yellow on a terminal).
func printResult(res *powershell.Result, stdout, stderr io.Writer, colorOut, colorErr bool) {
	for _, r := range res.Records {
		switch {
		case r.Stream == powershell.StreamError && colorErr:
			fmt.Fprint(stderr, ansiRed+r.Text+ansiReset)
		case r.Stream == powershell.StreamError:
			fmt.Fprint(stderr, r.Text)
		case r.Stream == powershell.StreamWarning && colorOut:
			fmt.Fprint(stdout, ansiYellow+r.Text+ansiReset)
		default:
			fmt.Fprint(stdout, r.Text)
		}
	}
}

// interactiveShell puts the terminal in raw mode for the prompt's line editing.
func interactiveShell(ctx context.Context, eng *powershell.Engine, actor any, who string, in *os.File, out io.Writer) error {
	old, err := term.MakeRaw(int(in.Fd()))
	if err != nil {
		return fmt.Errorf("powershell: %w", err)
	}
	defer term.Restore(int(in.Fd()), old)
	width := eng.Width
	if width == 0 {
		width = terminalWidth(out)
	}
	return prompt(ctx, eng, actor, who, struct {
		io.Reader
		io.Writer
	}{in, out}, width)
}

// prompt is the interactive loop: "PS> ", ">> " while a command is unfinished,
// history on the arrow keys (the terminal's own), exit or Ctrl+D to leave.
func prompt(ctx context.Context, eng *powershell.Engine, actor any, who string, rw io.ReadWriter, width int) error {
	t := term.NewTerminal(rw, "PS> ")
	_ = t.SetSize(width, 24)
	e := *eng
	e.Width = width
	fmt.Fprintf(t, "Exchange Online PowerShell as %s. Get-Command lists the cmdlets; exit leaves.\n", who)
	var buf strings.Builder
	for {
		if ctx.Err() != nil {
			return nil
		}
		line, err := t.ReadLine()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil && !errors.Is(err, term.ErrPasteIndicator) {
			return err
		}
		if buf.Len() > 0 {
			buf.WriteByte('\n')
		}
		buf.WriteString(line)
		text := buf.String()
		if incomplete(text) {
			t.SetPrompt(">> ")
			continue
		}
		buf.Reset()
		t.SetPrompt("PS> ")
		switch strings.ToLower(strings.TrimSpace(text)) {
		case "":
			continue
		case "exit", "quit":
			return nil
		}
		res := e.Run(ctx, actor, text)
		for _, r := range res.Records {
			switch r.Stream {
			case powershell.StreamError:
				fmt.Fprint(t, string(t.Escape.Red)+r.Text+string(t.Escape.Reset))
			case powershell.StreamWarning:
				fmt.Fprint(t, string(t.Escape.Yellow)+r.Text+string(t.Escape.Reset))
			default:
				fmt.Fprint(t, r.Text)
			}
		}
	}
}

// incomplete reports whether a command is unfinished, so the prompt reads another
// line: it ends in a backtick, pipe or comma, or a string, block, hashtable,
// parenthesis or comment is still open at its end.
func incomplete(text string) bool {
	trimmed := strings.TrimRight(text, " \t")
	if strings.HasSuffix(trimmed, "`") || strings.HasSuffix(trimmed, "|") || strings.HasSuffix(trimmed, ",") {
		return true
	}
	_, err := syntax.Parse(text)
	var pe *syntax.ParseError
	if !errors.As(err, &pe) {
		return false
	}
	switch pe.ID {
	case "MissingEndCurlyBrace", "TerminatorExpectedAtEndOfString", "IncompleteHashLiteral", "MissingEndParenthesisInSubexpression",
		"MissingEndParenthesisInExpression", "MissingTerminatorMultiLineComment":
		return true
	}
	return pe.Message == "Unexpected end of input."
}
