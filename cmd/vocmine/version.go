package main

import (
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/vocmine/vocmine/config"
)

// buildFacts is what `vocmine version` prints: what a bug report needs to
// rebuild this binary, and to match a run's manifest (vocmine_version) to it.
type buildFacts struct {
	Version      string `json:"version"` // version(): the manifest's vocmine_version, and --version
	Module       string `json:"module"`  // the main module's path and version from the build info
	Revision     string `json:"vcs_revision"`
	Time         string `json:"vcs_time"`
	Modified     string `json:"vcs_modified"`
	Go           string `json:"go"`
	Gse          string `json:"gse"`
	Dictionary   string `json:"dictionary"` // tagger.dictionary of the config given (or of the embedded example)
	DictionaryOf string `json:"dictionary_source"`
}

// unstamped stands for a build-info field the binary does not carry.
const unstamped = "unknown"

// readBuildFacts reads bi (from debug.ReadBuildInfo; nil if it had none)
// and the dictionary the config names.
func readBuildFacts(bi *debug.BuildInfo, dict string) buildFacts {
	f := buildFacts{Version: version(), Module: unstamped, Revision: unstamped, Time: unstamped, Modified: unstamped,
		Go: runtime.Version(), Gse: unstamped, Dictionary: dict}
	if bi != nil {
		f.Module = bi.Main.Path + " " + bi.Main.Version
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				f.Revision = s.Value
			case "vcs.time":
				f.Time = s.Value
			case "vcs.modified":
				f.Modified = s.Value
			}
		}
		for _, d := range bi.Deps {
			if d.Path == "github.com/go-ego/gse" {
				if d.Replace != nil {
					d = d.Replace
				}
				f.Gse = d.Version
			}
		}
	}
	switch dict {
	case "zh_s_small":
		f.DictionaryOf = "embedded in vocmine: gse " + f.Gse + "'s data/dict/zh/s_1.txt without its rarest words (tagger/dict/zh_s_small.txt)"
	default:
		f.DictionaryOf = "embedded in gse " + f.Gse
	}
	return f
}

func versionCommand() *cobra.Command {
	var configFile string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version, VCS revision, Go and gse versions and the dictionary in use",
		Long: `Version prints what the binary was built from: the module version (the first
line is what --version prints and what each run's manifest.json records as
vocmine_version), the VCS revision, its time and whether the tree had
uncommitted changes, the Go version, the gse module version and the
segmentation dictionary that vocmine run would use with the same --config
and environment (with no --config: the embedded example's).

VCS fields read "unknown" when the build did not stamp them: go build and
go install stamp them in a git clone unless -buildvcs=false (or GOFLAGS has
it); go run and go test do not.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, cleanup, err := loadConfig(config.Loader{File: configFile})
			if err != nil {
				return err
			}
			cleanup()
			bi, _ := debug.ReadBuildInfo()
			f := readBuildFacts(bi, cfg.Tagger.Dictionary)
			w := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(w)
				enc.SetIndent("", "  ")
				return enc.Encode(f)
			}
			fmt.Fprintf(w, "vocmine %s\nmodule:       %s\nvcs.revision: %s\nvcs.time:     %s\nvcs.modified: %s\ngo:           %s\ngse:          %s\ndictionary:   %s, %s\n",
				f.Version, f.Module, f.Revision, f.Time, f.Modified, f.Go, f.Gse, f.Dictionary, f.DictionaryOf)
			if f.Revision == unstamped {
				fmt.Fprintln(w, "(no VCS stamp: built by go run or go test, outside a git clone, or with -buildvcs=false; go install -buildvcs=true ./cmd/vocmine stamps it)")
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&configFile, "config", "", "config file whose tagger.dictionary to report (default: the embedded example)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	return cmd
}
