package catalog

import (
	"context"
	"log/slog"
)

// Log attribute keys beside a catalogue message's text: its key, stable across languages and versions, and its
// English text, so that a scheduler's alert rule on a JSON log line works whatever the process language.
const (
	LogCode  = "code"
	LogMsgEN = "msg_en"
)

// Log writes m to l at level: the message in the process language (Lang) as the log line's msg, with m's key as
// "code" and its English text as "msg_en", then attrs. A nil logger logs nothing.
func Log(ctx context.Context, l *slog.Logger, level slog.Level, m *Message, attrs ...any) {
	if l == nil || !l.Enabled(ctx, level) {
		return
	}
	l.Log(ctx, level, m.Error(), append([]any{LogCode, m.Key, LogMsgEN, m.In("en")}, attrs...)...)
}

// Warn is Log at warning level.
func Warn(l *slog.Logger, m *Message, attrs ...any) {
	Log(context.Background(), l, slog.LevelWarn, m, attrs...)
}
