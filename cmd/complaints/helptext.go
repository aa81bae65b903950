package main

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"complaints/catalog"
	"complaints/config"
)

// Help texts come from the catalogue (catalog/labels_help.yaml), keyed by the command path: help_<path>_short,
// _long and _example, and help_<path>_flag_<flag> for each flag the command defines (dashes become
// underscores; the root command is help_root). The English strings in the command definitions are what a
// command shows when its entry is missing; TestHelpTextsAreComplete makes sure none is.

// composedLong gives, by helpKey, the long help of a command that composes it from several catalogue entries
// rather than one help_<path>_long (rootcause's shows the method of the report's 根因 sheet: it can register
// rootcauseHelp here and leave its own help function).
var composedLong = map[string]func(lang string) string{}

// helpKey is the catalogue key prefix of c's help: help_report, help_taxonomy_codes, help_root.
func helpKey(c *cobra.Command) string {
	p := strings.Fields(c.CommandPath())
	if len(p) <= 1 {
		return "help_root"
	}
	return "help_" + strings.ReplaceAll(strings.Join(p[1:], "_"), "-", "_")
}

// flagKey is the catalogue key of the usage of flag name, defined by the command whose key prefix is prefix.
func flagKey(prefix, name string) string {
	return prefix + "_flag_" + strings.ReplaceAll(name, "-", "_")
}

// helpText is the catalogue text of key in lang, or ok false when the catalogue has none.
func helpText(key, lang string) (string, bool) {
	s := catalog.Text(key, lang)
	return s, !strings.HasPrefix(s, "?")
}

// localizeHelp sets the Short, Long, Example and flag usages of c and of every command below it in lang, from
// the catalogue; a text the catalogue lacks stays as the code wrote it. The flag cobra adds (--help) gets
// help_flag_help.
func localizeHelp(c *cobra.Command, lang string) {
	k := helpKey(c)
	for suffix, field := range map[string]*string{"_short": &c.Short, "_long": &c.Long, "_example": &c.Example} {
		if s, ok := helpText(k+suffix, lang); ok {
			*field = strings.TrimRight(s, "\n")
		}
	}
	if long, ok := composedLong[k]; ok {
		c.Long = long(lang)
	}
	set := func(f *pflag.Flag) {
		if f.Name == "help" {
			f.Usage = catalog.Msg("help_flag_help", c.Name()).In(lang)
			return
		}
		if s, ok := helpText(flagKey(k, f.Name), lang); ok {
			f.Usage = s
		}
	}
	c.LocalNonPersistentFlags().VisitAll(set)
	c.PersistentFlags().VisitAll(set)
	for _, s := range c.Commands() {
		localizeHelp(s, lang)
	}
}

// usageTemplate is cobra's usage template with its headings in lang.
func usageTemplate(tmpl, lang string) string {
	for _, h := range []struct{ en, tail, key string }{
		{"Usage:", "{{if .Runnable}}", "help_tmpl_usage"}, {"Aliases:", "\n", "help_tmpl_aliases"},
		{"Examples:", "\n{{.Example}}", "help_tmpl_examples"},
		{"Available Commands:", "{{range", "help_tmpl_commands"}, {"Additional Commands:", "{{range", "help_tmpl_more_commands"},
		{"Global Flags:", "\n", "help_tmpl_global_flags"}, {"Flags:", "\n{{.LocalFlags", "help_tmpl_flags"},
		{"Additional help topics:", "{{range", "help_tmpl_topics"},
		{`Use "{{.CommandPath}} [command] --help" for more information about a command.`, "", "help_tmpl_more"},
	} {
		if s, ok := helpText(h.key, lang); ok {
			tmpl = strings.Replace(tmpl, h.en+h.tail, s+h.tail, 1)
		}
	}
	return tmpl
}

// useLocalHelp makes root show every command's help in the user's language (langFor): cobra shows help before
// any PreRun, so the texts are set in the help function, for the whole tree at once. A command with its own
// help function (SetHelpFunc) can call localizeHelp(cmd.Root(), lang) itself.
func useLocalHelp(root *cobra.Command, g *globals) {
	help := root.HelpFunc()
	tmpl := root.UsageTemplate()
	root.SetHelpFunc(func(c *cobra.Command, args []string) {
		lang := g.langFor(c)
		localizeHelp(c.Root(), lang)
		c.Root().SetUsageTemplate(usageTemplate(tmpl, lang))
		if lang == "en" {
			help(c, args)
			return
		}
		// pflag writes a flag's default as ` (default "xlsx")`, in English
		out := c.OutOrStdout()
		var b bytes.Buffer
		c.SetOut(&b)
		help(c, args)
		c.SetOut(out)
		fmt.Fprint(out, flagDefault.ReplaceAllString(b.String(), catalog.Msg("help_flag_default", "$1").In(lang)))
	})
}

// flagDefault is how pflag shows a flag's default at the end of its usage line.
var flagDefault = regexp.MustCompile(`(?m) \(default (.+)\)$`)

// langFor is the language of what command c says on the terminal (help, summaries, errors): --lang when given
// on the command line, else the config's language (the config file read quietly, as the commands find it), else
// Chinese.
func (g *globals) langFor(c *cobra.Command) string {
	for _, f := range []*pflag.Flag{c.Flags().Lookup("lang"), c.Root().PersistentFlags().Lookup("lang")} {
		if f != nil && f.Changed {
			if v := f.Value.String(); v == "zh" || v == "en" {
				return v
			}
		}
	}
	path := g.config
	if path == "" && exists(config.DefaultFile) {
		path = config.DefaultFile
	}
	if path != "" {
		if cfg, err := config.Load(path); err == nil && cfg.Language == "en" {
			return "en"
		}
	}
	return "zh"
}
