package powershell

import (
	"context"
	"errors"
	"strings"

	"github.com/contoso/admincenter/models/powershell/syntax"
)

// Engine runs command lines against a registry of cmdlets. It holds no state of
// its own between runs and is safe for concurrent use.
type Engine struct {
	reg *Registry
	// Width is the console width, in characters, that tables and lists are fitted to.
	Width int
}

// New returns an engine for the registry's cmdlets with a 120-character console.
func New(reg *Registry) *Engine { return &Engine{reg: reg, Width: 120} }

// console returns the console width, 120 when unset and at least 20.
func (e *Engine) console() int {
	if e.Width <= 0 {
		return 120
	}
	return max(e.Width, 20)
}

// Stream says which of PowerShell's streams a record belongs to.
type Stream int

// The streams a console shows.
const (
	StreamOutput  Stream = iota // formatted output objects
	StreamError                 // errors, shown in red
	StreamWarning               // "WARNING: ..."
	StreamVerbose               // "VERBOSE: ...", with -Verbose
	StreamHost                  // host messages such as "What if: ..."
)

// Record is one piece of what the console shows, in order.
type Record struct {
	Stream Stream
	// Text is what the console prints, ending in a line break.
	Text string
	// Error is the error a StreamError record shows.
	Error *ErrorRecord
}

// Result is everything a run produced.
type Result struct {
	// Output holds the objects that reached the end of each statement, unformatted.
	Output []Value
	// Errors holds every error, including those -ErrorAction SilentlyContinue hid.
	Errors []*ErrorRecord
	// Warnings holds the warning messages without their "WARNING: " prefix.
	Warnings []string
	// Verbose holds the verbose messages of commands run with -Verbose.
	Verbose []string
	// Records is what the console shows, in order: formatted output, errors,
	// warnings and host messages.
	Records []Record
}

// Text returns the console text: every record in order.
func (r *Result) Text() string {
	var b strings.Builder
	for _, rec := range r.Records {
		b.WriteString(rec.Text)
	}
	return b.String()
}

// Failed reports whether any error occurred.
func (r *Result) Failed() bool { return len(r.Errors) > 0 }

// runState is one Run: the input, the caller and what has been produced.
type runState struct {
	ctx   context.Context
	eng   *Engine
	actor any
	src   string
	res   *Result
	stmt  *stmtState
}

// stmtState is the top-level statement being run: its text (for audit) and what
// it has produced so far, rendered when it ends.
type stmtState struct {
	text  string
	items []item
}

// item is an output value or a message, in the order they happened.
type item struct {
	output bool
	value  Value
	rec    Record
}

// errReported stops an enclosing pipeline after an error that has already been
// shown (in a parenthesized command, say).
var errReported = &ErrorRecord{Message: "already reported", Terminating: true}

// Run parses and runs a command line (one or more statements) for an actor. The
// actor is handed to each cmdlet as it is; ctx too, and a cancelled ctx stops the
// run.
func (e *Engine) Run(ctx context.Context, actor any, text string) *Result {
	rs := &runState{ctx: ctx, eng: e, actor: actor, src: text, res: &Result{}}
	script, err := syntax.Parse(text)
	if err != nil {
		var pe *syntax.ParseError
		if !errors.As(err, &pe) {
			panic(err)
		}
		rec := parseErrorRecord(text, pe)
		rs.res.Errors = append(rs.res.Errors, rec)
		rs.res.Records = append(rs.res.Records, Record{Stream: StreamError, Text: rec.Format(), Error: rec})
		return rs.res
	}
	for _, st := range script.Stmts {
		if ctx.Err() != nil {
			rs.stmt = &stmtState{}
			rs.report(stoppedError().at(text, st.Pos(), st.End()), "")
			rs.render()
			break
		}
		rs.stmt = &stmtState{text: text[st.Pos().Offset:st.End().Offset]}
		rs.runPipeline(st, &evaluator{rs: rs}, func(v Value) {
			rs.stmt.items = append(rs.stmt.items, item{output: true, value: v})
			rs.res.Output = append(rs.res.Output, v)
		})
		rs.render()
	}
	return rs.res
}

func stoppedError() *ErrorRecord {
	return &ErrorRecord{Message: "The pipeline has been stopped.", Category: OperationStopped, Exception: excPipelineStopped,
		ErrorID: "PipelineStopped", Terminating: true}
}

// render formats the finished statement's output and messages into records.
func (rs *runState) render() {
	rs.res.Records = append(rs.res.Records, renderItems(rs.stmt.items, rs.eng.console())...)
	rs.stmt = nil
}

// report records an error according to the command's -ErrorAction: Ignore drops
// it, SilentlyContinue keeps it out of the console, anything else shows it.
func (rs *runState) report(rec *ErrorRecord, action string) {
	if rec == errReported {
		return
	}
	switch action {
	case "Ignore":
		return
	case "SilentlyContinue":
		rs.res.Errors = append(rs.res.Errors, rec)
		return
	}
	rs.res.Errors = append(rs.res.Errors, rec)
	rs.stmt.items = append(rs.stmt.items, item{rec: Record{Stream: StreamError, Text: rec.Format(), Error: rec}})
}

// message records a warning, verbose or host message.
func (rs *runState) message(s Stream, text string) {
	switch s {
	case StreamWarning:
		rs.res.Warnings = append(rs.res.Warnings, text)
		text = "WARNING: " + text
	case StreamVerbose:
		rs.res.Verbose = append(rs.res.Verbose, text)
		text = "VERBOSE: " + text
	}
	rs.stmt.items = append(rs.stmt.items, item{rec: Record{Stream: s, Text: text + "\n"}})
}

// mapError turns what a cmdlet's Run returned into an error record.
func (rs *runState) mapError(err error) *ErrorRecord {
	var rec *ErrorRecord
	if errors.As(err, &rec) {
		return rec
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return stoppedError()
	}
	if m := rs.eng.reg.MapError; m != nil {
		if rec := m(rs.ctx, err); rec != nil {
			return rec
		}
	}
	return internalError()
}

// pipelineRun is one pipeline being run, top-level or inside parentheses.
type pipelineRun struct {
	rs     *runState
	ev     *evaluator
	halted bool
}

// runPipeline binds and runs a pipeline, handing what its last command writes to
// sink. It reports false when a terminating error stopped it.
func (rs *runState) runPipeline(pl *syntax.Pipeline, ev *evaluator, sink func(Value)) bool {
	pr := &pipelineRun{rs: rs, ev: ev}
	if len(pl.Cmds) == 0 {
		v, err := ev.eval(pl.Source)
		if err != nil {
			rs.report(err, "")
			return false
		}
		for _, x := range enumerate(v) {
			sink(x)
		}
		return true
	}
	stages := make([]*stage, len(pl.Cmds))
	for i, c := range pl.Cmds {
		ent := rs.eng.reg.lookup(c.Name)
		if ent == nil {
			rs.report(commandNotFound(c.Name).at(rs.src, c.NamePos, c.NameEnd), "")
			return false
		}
		b, err := rs.bind(ent, c, ev)
		if err != nil {
			if err.Command == "" && err != errReported {
				err.Command = ent.meta.Name
			}
			rs.report(err.at(rs.src, c.Pos(), c.End()), "")
			return false
		}
		if b.help {
			sink(&FormatOutput{Text: helpText(rs.eng.reg, ent, helpDefault)})
			return true
		}
		stages[i] = &stage{pr: pr, b: b, sink: sink}
		if i > 0 {
			stages[i-1].next = stages[i]
		}
	}
	if pl.Source != nil {
		v, err := ev.eval(pl.Source)
		if err != nil {
			rs.report(err, "")
			return false
		}
		for _, x := range enumerate(v) {
			stages[0].process(x)
			if pr.halted {
				return false
			}
		}
	} else {
		stages[0].begin()
	}
	for _, s := range stages {
		if pr.halted {
			return false
		}
		s.end()
	}
	return !pr.halted
}

// stage is one command of a running pipeline.
type stage struct {
	pr     *pipelineRun
	b      *binding
	next   *stage
	sink   func(Value)
	inputs []Value
}

// begin runs the first command of a pipeline that has no input.
func (s *stage) begin() {
	if !s.b.ent.meta.CollectInput {
		s.invoke(s.b.args, s.b.sets, nil, false)
	}
}

// process hands the command one piped object.
func (s *stage) process(in Value) {
	if s.pr.halted {
		return
	}
	if s.b.ent.meta.CollectInput {
		s.inputs = append(s.inputs, in)
		return
	}
	args, sets, err := s.b.withInput(in)
	if err != nil {
		s.fail(err, s.action(s.b.args))
		return
	}
	s.invoke(args, sets, in, true)
}

// end runs a command that collects its input, once all of it has arrived.
func (s *stage) end() {
	if s.b.ent.meta.CollectInput {
		s.invoke(s.b.args, s.b.sets, nil, false)
	}
}

// emit passes a written object down the pipeline.
func (s *stage) emit(v Value) {
	if s.pr.halted {
		return
	}
	if s.next != nil {
		s.next.process(v)
		return
	}
	s.sink(v)
}

func (s *stage) invoke(args map[*Param]Value, sets []string, in Value, piped bool) {
	rs := s.pr.rs
	if rs.ctx.Err() != nil {
		s.fail(stoppedError(), "")
		return
	}
	set, err := s.b.finish(args, sets)
	if err != nil {
		err.Terminating = !piped
		s.fail(err, "")
		return
	}
	c := &Call{stage: s, args: args, set: set, input: in}
	if s.b.ent.meta.CollectInput {
		c.inputs = s.inputs
	}
	if err := s.b.ent.cmd.Run(c); err != nil {
		s.fail(rs.mapError(err), c.errorAction())
	}
}

// fail reports an error of this command; a terminating one, or any with
// -ErrorAction Stop, stops the pipeline.
func (s *stage) fail(rec *ErrorRecord, action string) {
	if rec == errReported {
		s.pr.halted = true
		return
	}
	if rec.Command == "" {
		rec.Command = s.b.ent.meta.Name
	}
	rec.at(s.pr.rs.src, s.b.node.Pos(), s.b.node.End())
	s.pr.rs.report(rec, action)
	if rec.Terminating || action == "Stop" {
		s.pr.halted = true
	}
}

// action returns the -ErrorAction of the arguments, "" when not given.
func (s *stage) action(args map[*Param]Value) string {
	if p := s.b.ent.byName["erroraction"]; p != nil {
		if v, ok := args[p].(string); ok {
			return v
		}
	}
	return ""
}
