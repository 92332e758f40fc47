package powershell_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/contoso/admincenter/models/powershell"
)

// greetingType is how a greeting shows: a table of Name and Text by default.
var greetingType = &powershell.TypeInfo{
	Name:  "Contoso.Greeting",
	Table: []powershell.Column{{Property: "Name", Width: 10}, {Property: "Text"}},
}

// getGreeting is a cmdlet: it declares its parameters and does its work in Run.
// A real one keeps its services (the models store) in fields set at registration.
type getGreeting struct{ greeting string }

func (getGreeting) Meta() powershell.Meta {
	return powershell.Meta{
		Name:     "Get-Greeting",
		Synopsis: "Greets people.",
		Params: []powershell.Param{
			{Name: "Identity", Type: powershell.Identity, Position: powershell.At(0), Mandatory: true, FromPipeline: true},
			{Name: "Shout", Type: powershell.Switch},
			{Name: "Language", Type: powershell.Enum, Values: []string{"English", "Dutch"}, Default: "English"},
		},
	}
}

func (g getGreeting) Run(c *powershell.Call) error {
	name := c.Identity("Identity").Text
	text := g.greeting + ", " + name
	if c.String("Language") == "Dutch" {
		text = "Hallo, " + name
	}
	if c.Bool("Shout") {
		text = strings.ToUpper(text)
	}
	c.Write(powershell.NewObject(greetingType).Set("Identity", name).Set("Name", name).Set("Text", text))
	return nil
}

func Example() {
	reg := powershell.NewRegistry() // with Where-Object, Select-Object, Format-List ...
	reg.Register(getGreeting{greeting: "Hello"})
	engine := powershell.New(reg)

	// Text is the console's text; the blank lines around tables and lists are
	// trimmed here only because example output cannot show two in a row.
	res := engine.Run(context.Background(), "admin", `"Ann","Bob","Cy" | Get-Greeting -lang dutch | Where-Object Name -ne Bob`)
	fmt.Println(strings.TrimSpace(res.Text()))

	res = engine.Run(context.Background(), "admin", `Get-Greeting Dee -Shout | Format-List`)
	fmt.Println(strings.TrimSpace(res.Text()))

	res = engine.Run(context.Background(), "admin", `Get-Greeting -Language Klingon`)
	fmt.Println(res.Errors[0].Message)
	// Output:
	// Name       Text
	// ----       ----
	// Ann        Hallo, Ann
	// Cy         Hallo, Cy
	// Identity : Dee
	// Name     : Dee
	// Text     : HELLO, DEE
	// Cannot validate argument on parameter 'Language'. The argument "Klingon" does not belong to the set "English,Dutch" specified by the ValidateSet attribute. Supply an argument that is in the set and then try the command again.
}
