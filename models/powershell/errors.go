package powershell

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/contoso/admincenter/models/powershell/syntax"
)

// Category is PowerShell's ErrorCategory, the first word of the CategoryInfo line.
type Category string

// The error categories the engine and Exchange's cmdlets use.
const (
	NotSpecified        Category = "NotSpecified"
	InvalidArgument     Category = "InvalidArgument"
	InvalidData         Category = "InvalidData"
	InvalidOperation    Category = "InvalidOperation"
	InvalidResult       Category = "InvalidResult"
	ObjectNotFound      Category = "ObjectNotFound"
	PermissionDenied    Category = "PermissionDenied"
	ResourceExists      Category = "ResourceExists"
	ResourceUnavailable Category = "ResourceUnavailable"
	LimitsExceeded      Category = "LimitsExceeded"
	NotImplemented      Category = "NotImplemented"
	OperationStopped    Category = "OperationStopped"
	ParserError         Category = "ParserError"
	WriteError          Category = "WriteError"
)

// ErrorRecord is an error as PowerShell reports it. It prints the way a console
// shows it (Format) and is also structured data, for the REST endpoint's
// "ExNNNNNN|Exception.Type|message" detail (RESTMessage).
type ErrorRecord struct {
	// Message is the text a person reads.
	Message string
	// Category is PowerShell's error category.
	Category Category
	// Exception is the full .NET type name of the exception, e.g.
	// Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException.
	Exception string
	// Code is Exchange's error code (Ex6F9304); empty for PowerShell's own errors.
	Code string
	// ErrorID is the first part of the FullyQualifiedErrorId, e.g. NamedParameterNotFound.
	ErrorID string
	// Target is the object the error is about, shown in the CategoryInfo line.
	Target string
	// Terminating stops the statement (the pipeline) rather than only the current
	// input object.
	Terminating bool

	// Command is the cmdlet that failed; the engine fills it in.
	Command string
	// noActivity leaves the command out of CategoryInfo and FullyQualifiedErrorId
	// while it still heads the message, as for an unknown command.
	noActivity bool

	// Pos and End are the part of the input the error points at; Line is that line
	// of the input. The engine fills them in.
	Pos, End syntax.Pos
	Line     string
}

// NewError returns an error record with PowerShell's parts.
func NewError(category Category, exception, errorID, message string) *ErrorRecord {
	return &ErrorRecord{Message: message, Category: category, Exception: exception, ErrorID: errorID}
}

// ExchangeError returns an error the way Exchange Online reports one: with its
// code (Ex6F9304) and exception type, and a FullyQualifiedErrorId naming the
// failure category and the code.
func ExchangeError(code, exception string, category Category, message string) *ErrorRecord {
	return &ErrorRecord{
		Message:   message,
		Category:  category,
		Exception: exception,
		Code:      code,
		ErrorID:   "[FailureCategory=Cmdlet-" + shortType(exception) + "] " + strings.TrimPrefix(code, "Ex"),
	}
}

// Error returns the message.
func (e *ErrorRecord) Error() string { return e.Message }

// FullyQualifiedErrorID returns the id PowerShell shows: "ErrorId,Command".
func (e *ErrorRecord) FullyQualifiedErrorID() string {
	if e.Command == "" || e.noActivity {
		return e.ErrorID
	}
	return e.ErrorID + "," + e.Command
}

// CategoryInfo returns the CategoryInfo line's value:
// "ObjectNotFound: (x:String) [Get-Mailbox], ManagementObjectNotFoundException".
func (e *ErrorRecord) CategoryInfo() string {
	target := "(:)"
	if e.Target != "" {
		target = "(" + e.Target + ":String)"
	}
	cat := e.Category
	if cat == "" {
		cat = NotSpecified
	}
	activity := e.Command
	if e.noActivity {
		activity = ""
	}
	return fmt.Sprintf("%s: %s [%s], %s", cat, target, activity, shortType(e.Exception))
}

// RESTMessage returns the error as the REST endpoint's details[0].message carries
// it: "Ex6F9304|Microsoft.Exchange....ExceptionType|message".
func (e *ErrorRecord) RESTMessage() string {
	return e.Code + "|" + e.Exception + "|" + e.Message
}

// Format returns the error as a PowerShell console prints it:
//
//	Get-Mailbox : The operation couldn't be performed because ...
//	At line:1 char:1
//	+ Get-Mailbox x
//	+ ~~~~~~~~~~~~~
//	    + CategoryInfo          : ObjectNotFound: (x:String) [Get-Mailbox], ManagementObjectNotFoundException
//	    + FullyQualifiedErrorId : ...
//
// A parse error, which has no command, puts the message after the position lines.
func (e *ErrorRecord) Format() string {
	var b strings.Builder
	if e.Category != ParserError {
		if e.Command != "" {
			b.WriteString(e.Command + " : ")
		}
		b.WriteString(e.Message + "\n")
	}
	if e.Pos.IsValid() {
		fmt.Fprintf(&b, "At line:%d char:%d\n", e.Pos.Line, e.Pos.Col)
		b.WriteString("+ " + e.Line + "\n")
		n := 1
		if e.End.Line == e.Pos.Line && e.End.Col > e.Pos.Col {
			n = e.End.Col - e.Pos.Col
		} else if e.End.Line > e.Pos.Line {
			n = max(1, utf8.RuneCountInString(e.Line)-e.Pos.Col+1)
		}
		b.WriteString("+ " + strings.Repeat(" ", e.Pos.Col-1) + strings.Repeat("~", n) + "\n")
	}
	if e.Category == ParserError {
		b.WriteString(e.Message + "\n")
	}
	b.WriteString("    + CategoryInfo          : " + e.CategoryInfo() + "\n")
	b.WriteString("    + FullyQualifiedErrorId : " + e.FullyQualifiedErrorID() + "\n")
	return b.String()
}

// at points the error at a part of the source, unless it already points somewhere.
func (e *ErrorRecord) at(src string, pos, end syntax.Pos) *ErrorRecord {
	if e == errReported || e.Pos.IsValid() || !pos.IsValid() {
		return e
	}
	e.Pos, e.End = pos, end
	e.Line = sourceLine(src, pos.Offset)
	return e
}

// sourceLine returns the line of src that holds the byte offset.
func sourceLine(src string, off int) string {
	off = min(off, len(src))
	start := strings.LastIndexAny(src[:off], "\r\n") + 1
	end := strings.IndexAny(src[off:], "\r\n")
	if end < 0 {
		return src[start:]
	}
	return src[start : off+end]
}

// shortType returns the last part of a .NET type name.
func shortType(full string) string {
	if i := strings.LastIndexByte(full, '.'); i >= 0 {
		return full[i+1:]
	}
	return full
}

// Exception type names PowerShell uses.
const (
	excParameterBinding = "System.Management.Automation.ParameterBindingException"
	excValidation       = "System.Management.Automation.ParameterBindingValidationException"
	excTransformation   = "System.Management.Automation.ParameterBindingArgumentTransformationException"
	excCommandNotFound  = "System.Management.Automation.CommandNotFoundException"
	excParse            = "System.Management.Automation.ParentContainsErrorRecordException"
	excRuntime          = "System.Management.Automation.RuntimeException"
	excPipelineStopped  = "System.Management.Automation.PipelineStoppedException"
	excInvalidOperation = "System.InvalidOperationException"
	excPSArgument       = "System.Management.Automation.PSArgumentException"
	excNotSupported     = "System.NotSupportedException"
	excHelpNotFound     = "Microsoft.PowerShell.Commands.HelpNotFoundException"
	excInternal         = "System.Exception"
)

// bindingError is a ParameterBindingException.
func bindingError(id, message string) *ErrorRecord {
	return &ErrorRecord{Message: message, Category: InvalidArgument, Exception: excParameterBinding, ErrorID: id, Terminating: true}
}

// parseErrorRecord turns a syntax error into the record PowerShell shows.
func parseErrorRecord(src string, pe *syntax.ParseError) *ErrorRecord {
	e := &ErrorRecord{Message: pe.Message, Category: ParserError, Exception: excParse, ErrorID: pe.ID, Terminating: true}
	end := pe.End
	if end.Offset == pe.Pos.Offset {
		end = syntax.Pos{Offset: end.Offset + 1, Line: end.Line, Col: end.Col + 1}
	}
	return e.at(src, pe.Pos, end)
}

// commandNotFound is PowerShell's error for a name that is no cmdlet.
func commandNotFound(name string) *ErrorRecord {
	return &ErrorRecord{
		Message: "The term '" + name + "' is not recognized as a name of a cmdlet, function, script file, or executable program. " +
			"Check the spelling of the name, or if a path was included, verify that the path is correct and try again.",
		Category:    ObjectNotFound,
		Exception:   excCommandNotFound,
		ErrorID:     "CommandNotFoundException",
		Target:      name,
		Command:     name,
		noActivity:  true,
		Terminating: true,
	}
}

// internalError stands in for an error a cmdlet returned that no mapper knew: the
// person sees that something failed, never the error's own text.
func internalError() *ErrorRecord {
	return &ErrorRecord{
		Message:   "The operation couldn't be performed because of an unexpected error.",
		Category:  NotSpecified,
		Exception: excInternal,
		ErrorID:   "UnexpectedError",
	}
}
