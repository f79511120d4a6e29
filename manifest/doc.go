// Package manifest writes the Kubernetes manifests that deploy every step of
// a split plan, so that a team can apply the steps one after another through
// GitOps and roll back by applying the previous one.
//
// Terms:
//   - step directory: steps/NN-<slug>/, the complete desired state of the
//     application after step NN, as a kustomization with one file per
//     object. Applying a step directory with pruning replaces the previous
//     step; applying the previous directory rolls back.
//   - unit: one service of a step's topology, deployed as one Deployment
//     whose Pod holds the service's main container and its sidecars.
//   - sidecar: a container of the unit other than the main one, holding the
//     components the plan placed at pod tier. A native sidecar is an init
//     container with restartPolicy Always (started before, and stopped
//     after, the main container); a classic sidecar is a plain container.
//   - link: a pod-tier connection between two containers of one Pod, a Unix
//     socket on a shared emptyDir or a loopback TCP port.
//   - peer: a container or unit that a container talks to; each container
//     gets a PEER_ADDR environment variable per peer, in the plan's
//     "network:address" form ("unix:/var/run/shop/notify.sock",
//     "tcp:127.0.0.1:9000", "tcp:payments:8080").
//   - mesh policy: governance (retries, timeouts, circuit breaking,
//     connection limits) moved out of the code into the service mesh: Istio
//     VirtualService and DestinationRule objects, or Linkerd annotations.
//   - image: what one container runs, built by docker/NAME/Dockerfile in
//     the language of its code (Go, Python, Java, a Node program, or a
//     browser application served by nginx), from the directory podsplit
//     analysed. A container whose code mixes languages has no image.
//
// Every object is built from typed Go values (k8s.io/api for Kubernetes
// kinds, the small typed structs of istio.go and oam.go for custom
// resources) and encoded with sigs.k8s.io/yaml, never from text templates.
// Dockerfiles are lists of typed instructions rendered one per line, with
// every path from the plan in the JSON-array form (dockerfile.go).
// Build is a pure function: the same plan and options give byte-identical
// files.
package manifest
