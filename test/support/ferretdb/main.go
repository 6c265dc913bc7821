// Command ferretdb runs an embedded FerretDB (MongoDB wire protocol over SQLite)
// for the Store contract and API suites. No MongoDB server is packaged for the
// machines we test on, so the mongoose store is exercised against this instead.
//
// Usage: ferretdb -dir /tmp/x [-listen 127.0.0.1:0]
// It prints "ready <mongodb-uri>" on stdout once it accepts connections and
// runs until stdin closes or it receives SIGTERM/SIGINT, so a parent that dies
// never leaves it behind.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	dir := flag.String("dir", "", "directory for FerretDB's SQLite files")
	listen := flag.String("listen", "127.0.0.1:0", "TCP address to listen on")
	flag.Parse()

	if *dir == "" {
		fmt.Fprintln(os.Stderr, "ferretdb: -dir is required")
		os.Exit(2)
	}

	addr := *listen
	if _, port, err := net.SplitHostPort(addr); err == nil && port == "0" {
		// FerretDB does not report the port it bound, so pick a free one first.
		l, err := net.Listen("tcp", addr)
		if err != nil {
			fmt.Fprintln(os.Stderr, "ferretdb:", err)
			os.Exit(1)
		}
		addr = l.Addr().String()
		l.Close()
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: addr},
		Logger:    logger,
		Handler:   "sqlite",
		// Test data need not survive a power cut: without an fsync per commit
		// (synchronous OFF, still WAL) a write costs a fraction of the time, and a
		// killed FerretDB process still loses nothing the OS had been handed.
		SQLiteURL: "file:" + *dir + "/?_pragma=synchronous(OFF)",
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		stop()
	}()

	done := make(chan struct{})
	go func() {
		_ = f.Run(ctx)
		close(done)
	}()

	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			fmt.Fprintln(os.Stderr, "ferretdb: did not start listening on", addr)
			os.Exit(1)
		}
		time.Sleep(50 * time.Millisecond)
	}
	fmt.Printf("ready mongodb://%s/\n", addr)

	<-done
}
