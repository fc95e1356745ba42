using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace Cloudreve
{
    /// <summary>The sessions of one runspace; the newest connected one is the default.</summary>
    internal sealed class SessionRegistry
    {
        private static readonly ConditionalWeakTable<Runspace, SessionRegistry> PerRunspace = new ConditionalWeakTable<Runspace, SessionRegistry>();
        private static readonly SessionRegistry NoRunspace = new SessionRegistry();

        private readonly object _gate = new object();
        private readonly List<CloudreveSession> _sessions = new List<CloudreveSession>();

        public static SessionRegistry Current
        {
            get
            {
                var runspace = Runspace.DefaultRunspace;
                return runspace == null ? NoRunspace : PerRunspace.GetValue(runspace, _ => new SessionRegistry());
            }
        }

        public CloudreveSession? Default
        {
            get { lock (_gate) { return _sessions.FirstOrDefault(s => s.IsDefault); } }
        }

        public IReadOnlyList<CloudreveSession> All
        {
            get { lock (_gate) { return _sessions.ToArray(); } }
        }

        public void Add(CloudreveSession session)
        {
            lock (_gate)
            {
                foreach (var s in _sessions)
                {
                    s.IsDefault = false;
                }

                _sessions.Add(session);
                session.IsDefault = true;
            }
        }

        public void Remove(CloudreveSession session)
        {
            lock (_gate)
            {
                if (!_sessions.Remove(session))
                {
                    return;
                }

                if (session.IsDefault)
                {
                    session.IsDefault = false;
                    var next = _sessions.LastOrDefault();
                    if (next != null)
                    {
                        next.IsDefault = true;
                    }
                }
            }
        }
    }
}
