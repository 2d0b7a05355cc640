// A Ryuk-compatible reaper: testcontainers' own image (testcontainers/ryuk) cannot be pulled
// here, so this speaks its protocol. Clients connect on TCP 8080 and send `label=key=value`
// lines (each answered with ACK); once the last client has been gone for the reconnection
// timeout, every container, network and volume carrying one of those labels is removed, then
// the reaper removes itself. A SIGKILLed test run therefore leaves nothing behind.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"
)

var docker = &http.Client{
	Timeout: 30 * time.Second,
	Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "unix", "/var/run/docker.sock")
	}},
}

func call(method, path string, query url.Values) ([]byte, error) {
	req, err := http.NewRequest(method, "http://docker"+path+"?"+query.Encode(), nil)
	if err != nil {
		return nil, err
	}
	res, err := docker.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 && res.StatusCode != http.StatusNotFound {
		return body, fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, strings.TrimSpace(string(body)))
	}
	return body, nil
}

func labelFilter(label string) url.Values {
	f, _ := json.Marshal(map[string][]string{"label": {label}})
	return url.Values{"filters": {string(f)}}
}

func ids(body []byte, field string) []string {
	var items []map[string]interface{}
	_ = json.Unmarshal(body, &items)
	out := []string{}
	for _, it := range items {
		if id, ok := it[field].(string); ok {
			out = append(out, id)
		}
	}
	return out
}

func prune(labels []string) {
	self, _ := os.Hostname()
	var removeSelf string
	for _, label := range labels {
		body, err := call("GET", "/containers/json", func() url.Values { q := labelFilter(label); q.Set("all", "1"); return q }())
		if err != nil {
			log.Printf("list containers %s: %v", label, err)
			continue
		}
		for _, id := range ids(body, "Id") {
			if strings.HasPrefix(id, self) {
				removeSelf = id
				continue
			}
			if _, err := call("DELETE", "/containers/"+id, url.Values{"force": {"1"}, "v": {"1"}}); err != nil {
				log.Printf("remove container %s: %v", id[:12], err)
			} else {
				log.Printf("removed container %s", id[:12])
			}
		}
	}
	for _, label := range labels {
		// A network can still be in use for a moment after its containers went; retry briefly.
		for attempt := 0; attempt < 10; attempt++ {
			body, err := call("GET", "/networks", labelFilter(label))
			if err != nil || len(ids(body, "Id")) == 0 {
				break
			}
			for _, id := range ids(body, "Id") {
				if _, err := call("DELETE", "/networks/"+id, nil); err == nil {
					log.Printf("removed network %s", id[:12])
				}
			}
			time.Sleep(300 * time.Millisecond)
		}
		if body, err := call("GET", "/volumes", labelFilter(label)); err == nil {
			var v struct{ Volumes []struct{ Name string } }
			_ = json.Unmarshal(body, &v)
			for _, vol := range v.Volumes {
				_, _ = call("DELETE", "/volumes/"+vol.Name, url.Values{"force": {"1"}})
			}
		}
	}
	log.Printf("reaped %d label(s), exiting", len(labels))
	if removeSelf != "" {
		_, _ = call("DELETE", "/containers/"+removeSelf, url.Values{"force": {"1"}, "v": {"1"}})
	}
}

func envDuration(name string, fallback time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return d
	}
	return fallback
}

func main() {
	log.SetFlags(log.LstdFlags)
	reconnect := envDuration("RYUK_RECONNECTION_TIMEOUT", 10*time.Second)
	connectTimeout := envDuration("RYUK_CONNECTION_TIMEOUT", 60*time.Second)

	ln, err := net.Listen("tcp", ":8080")
	if err != nil {
		log.Fatalf("listen: %v", err)
	}
	var mu sync.Mutex
	labels := map[string]bool{}
	clients := 0
	timer := time.NewTimer(connectTimeout)
	fmt.Println("Started!")

	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			clients++
			timer.Stop()
			mu.Unlock()
			go func(c net.Conn) {
				defer func() {
					c.Close()
					mu.Lock()
					clients--
					if clients == 0 {
						timer.Reset(reconnect)
					}
					mu.Unlock()
				}()
				scanner := bufio.NewScanner(c)
				for scanner.Scan() {
					line := strings.TrimSpace(scanner.Text())
					if !strings.HasPrefix(line, "label=") {
						continue
					}
					mu.Lock()
					labels[strings.TrimPrefix(line, "label=")] = true
					mu.Unlock()
					_, _ = c.Write([]byte("ACK\n"))
				}
			}(conn)
		}
	}()

	<-timer.C
	mu.Lock()
	list := make([]string, 0, len(labels))
	for l := range labels {
		list = append(list, l)
	}
	mu.Unlock()
	prune(list)
}
