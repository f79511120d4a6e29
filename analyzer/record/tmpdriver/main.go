package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/podsplit/podsplit/analyzer"
	"github.com/podsplit/podsplit/analyzer/evidence"
)

func main() {
	prog, err := analyzer.Load(context.Background(), analyzer.Options{Dir: os.Args[1]})
	if err != nil {
		panic(err)
	}
	res := analyzer.Extract(prog)
	if err := evidence.Merge(res, os.Args[2:], evidence.Options{}); err != nil {
		panic(err)
	}
	st, _ := json.MarshalIndent(res.Graph.Stats.Runtime, "", " ")
	fmt.Println(string(st))
	for _, d := range res.Graph.Diagnostics {
		if d.Category == "runtime" {
			fmt.Println("DIAG", d.Pos, d.Message)
		}
	}
	for _, e := range res.Graph.Edges {
		fmt.Printf("%s -> %s %s/%s static=%d runtime=%d cpu=%d observed=%v\n", e.From, e.To, e.Kind, e.Mechanism, e.Static, e.Runtime, e.CPUNs, e.Observed)
	}
}
