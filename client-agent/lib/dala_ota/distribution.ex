defmodule DalaOta.Distribution do
  @moduledoc """
  Starting and stopping Erlang distribution for one delivery session, as a behaviour.
  `DalaOta.Distribution.Beam` is the real one; tests of the session protocol swap in a fake.

  The contract, which `DalaOta.Session` relies on:

    * `start/2` brings distribution up under the session's device node name, without ever
      opening the device to inbound connections where the runtime allows it, and sets a fresh
      random default cookie;
    * `connect/3` sets the session cookie for the server node only, then connects;
    * `stop/2` disconnects, stops distribution, and where it stays up anyway (a development
      build) replaces both the server node's cookie and the default cookie with fresh random
      ones, so the session cookie is dead either way. It is called only for distribution the
      session started itself; an app's own node is never stopped or re-cookied.
  """

  @typedoc """
  `random_cookie` returns a fresh random cookie atom; `start_timeout` and `connect_timeout`
  are in milliseconds. `device_node` names the node the session started: `stop/2` stops and
  re-cookies distribution only while the VM runs under that name.
  """
  @type opts :: %{
          required(:random_cookie) => (() -> atom),
          required(:start_timeout) => pos_integer,
          optional(:connect_timeout) => pos_integer,
          optional(:device_node) => node
        }

  @callback start(device_node :: node, opts) :: :ok | {:error, term}
  @callback connect(server_node :: node, cookie :: atom, opts) :: :ok | {:error, term}
  @callback stop(server_node :: node, opts) :: :ok
end
