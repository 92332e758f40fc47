package powershell

import (
	"context"
	"fmt"
	"testing"

	"github.com/contoso/admincenter/models/powershell/syntax"
)

// The benchmarks print figures (ns/op and objects or cmdlets per second); they
// assert nothing about speed. Run: go test -run '^$' -bench . ./models/powershell/

func BenchmarkParseSeedLine(b *testing.B) {
	for b.Loop() {
		if _, err := syntax.Parse(seedLine); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSeedPipeline parses and runs New-Thing | Set-Thing | Add-ThingPermission
// (three cmdlets, two pipeline bindings) and formats the result.
func BenchmarkSeedPipeline(b *testing.B) {
	e, _ := testEngine()
	ctx := context.Background()
	i := 0
	for b.Loop() {
		i++
		line := fmt.Sprintf(`New-Thing -Shared -Name "Sales %d" -DisplayName "Sales" -Alias s%d | Set-Thing -GrantSendOnBehalfTo MarketingSG | Add-ThingPermission -User MarketingSG -AccessRights FullAccess –InheritanceType All`, i, i)
		if res := e.Run(ctx, "admin", line); res.Failed() || res.Text() == "" {
			b.Fatal(res.Text())
		}
	}
	b.ReportMetric(float64(3*b.N)/b.Elapsed().Seconds(), "cmdlets/s")
}

func thousandThings() *Engine {
	e, s := testEngine()
	for i := range 1000 {
		s.add(&thing{name: fmt.Sprintf("Mailbox %04d", i), alias: fmt.Sprintf("mbx%04d", i), quota: int64(i), sendOnBehalf: []string{"a", "b"}})
	}
	return e
}

// BenchmarkGetThousand runs "Get-Thing -ResultSize 1000" and formats the 1000-row table.
func BenchmarkGetThousand(b *testing.B) {
	e := thousandThings()
	ctx := context.Background()
	for b.Loop() {
		res := e.Run(ctx, "admin", "Get-Thing -ResultSize 1000")
		if len(res.Output) != 1000 || res.Text() == "" {
			b.Fatal(len(res.Output))
		}
	}
	b.ReportMetric(float64(1000*b.N)/b.Elapsed().Seconds(), "objects/s")
}

// BenchmarkFilterPipeline parses and runs a filter, sort and select over 1000 objects.
func BenchmarkFilterPipeline(b *testing.B) {
	e := thousandThings()
	ctx := context.Background()
	line := `Get-Thing -ResultSize Unlimited | Where-Object { $_.Quota -ge 500 -and $_.Alias -like 'mbx*' } | Sort-Object Quota -Descending | Select-Object Name, Alias -First 10`
	for b.Loop() {
		if res := e.Run(ctx, "admin", line); len(res.Output) != 10 {
			b.Fatal(res.Text())
		}
	}
	b.ReportMetric(float64(1000*b.N)/b.Elapsed().Seconds(), "objects/s")
}

// BenchmarkAddPermission runs one Add-ThingPermission per operation.
func BenchmarkAddPermission(b *testing.B) {
	e := thousandThings()
	ctx := context.Background()
	i := 0
	for b.Loop() {
		line := fmt.Sprintf("Add-ThingPermission -Identity 'Mailbox %04d' -User user%d -AccessRights FullAccess -AutoMapping $false", i%1000, i)
		i++
		if res := e.Run(ctx, "admin", line); res.Failed() {
			b.Fatal(res.Text())
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "cmdlets/s")
}

// BenchmarkInvoke binds a REST-style parameter map (printed, parsed, bound, run).
func BenchmarkInvoke(b *testing.B) {
	e := thousandThings()
	ctx := context.Background()
	in := CmdletInput{CmdletName: "Set-Thing", Parameters: Parameters{
		{Name: "Identity", Value: "Mailbox 0001"},
		{Name: "GrantSendOnBehalfTo", Value: &Hashtable{Entries: []HashEntry{{Key: "Add", Value: []any{"x"}}, {Key: "Remove", Value: []any{"x"}}}}},
		{Name: "HiddenFromAddressListsEnabled", Value: true},
	}}
	for b.Loop() {
		if res := e.Invoke(ctx, "app", in); res.Failed() {
			b.Fatal(res.Text())
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "cmdlets/s")
}
