import Foundation
import Testing
@testable import SextantCore

/// A code or refresh token is claimed once however many redemptions race (on several nodes,
/// each is a separate writer); the losers find it used, and a replayed one revokes its family.
@Suite struct OAuthContractTests {
    let grant = AuthorizationGrant(
        clientID: "c", organizationID: "acme", redirectURI: "https://app.example.com/cb", codeChallenge: "x", scopes: [.readLucent],
        expiresAt: 10_000)

    @Test(arguments: StoreBackend.available)
    func racingRedemptionsOfOneCodeYieldOneGrant(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _, _ in
            try await store.oauth.saveAuthorizationCode("code-1", grant: grant, now: 1)
            let grants = try await withThrowingTaskGroup(of: AuthorizationGrant?.self) { group in
                for _ in 0..<16 { group.addTask { try await store.oauth.consumeAuthorizationCode("code-1", now: 2) } }
                return try await group.reduce(into: [AuthorizationGrant]()) { if let grant = $1 { $0.append(grant) } }
            }
            #expect(grants == [grant])
            let unknown = try await store.oauth.consumeAuthorizationCode("never-issued", now: 2)
            #expect(unknown == nil)
        }
    }

    @Test(arguments: StoreBackend.available)
    func aRefreshTokenIsUsedOnceAndItsReplayRevokesTheFamily(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _, _ in
            let family = RefreshGrant(familyID: "fam-1", clientID: "c", organizationID: "acme", scopes: [.readLucent])
            try await store.oauth.issueTokens(
                TokenIssue(accessToken: "access-1", accessExpiresAt: 10_000, refreshToken: "refresh-1", refreshExpiresAt: 10_000, grant: family), now: 1)
            let uses = try await withThrowingTaskGroup(of: RefreshGrant?.self) { group in
                for _ in 0..<16 { group.addTask { try await store.oauth.useRefreshToken("refresh-1", now: 2) } }
                return try await group.reduce(into: [RefreshGrant]()) { if let grant = $1 { $0.append(grant) } }
            }
            #expect(uses == [family])
            // The losers were replays: the access token the family holds no longer works.
            let access = try await store.tenancy.resolveAPIToken("access-1", now: 3)
            #expect(access == nil)
        }
    }
}
